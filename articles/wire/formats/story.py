"""What every structured agency format derives the same way once its fields are read."""

from datetime import datetime

from articles.wire.parser import WirePicture, WireStory


def agency_story(
    *,
    headline: str,
    published_at: datetime,
    paragraphs: tuple[str, ...],
    pictures: tuple[WirePicture, ...] | list[WirePicture],
    dateline: str,
    **fields,
) -> WireStory:
    """A WireStory from NewsML-G2, NITF or ninjs fields.

    The first picture's caption and credit lead the story even when its file did not come
    (the photo desk fills it in, as for plain text); only pictures with a file are placed.
    A story with no text (a kill or a withheld notice) keeps its headline as its one line.
    """
    lead = pictures[0] if pictures else WirePicture("")
    return WireStory(
        date=published_at.date(),
        headline=headline,
        published_at=published_at,
        paragraphs=paragraphs or (headline,),
        caption=lead.caption,
        credit=lead.credit,
        dateline=dateline.split(",")[0].strip().upper(),
        pictures=tuple(picture for picture in pictures if picture.href),
        **fields,
    )
