/* Body blocks in the story editor: photo, gallery, embed, pull quote, fact box, table and
   related story, each inserted in place from the menu and stored as an empty
   <figure data-block="..."> with plain values (articles/blocks/stored.py checks them again).
   Select a block and press its menu button to edit it. */
import { Node, mergeAttributes, updateAttrsDialog, crel } from "django-prose-editor/editor";

const text = (title, extra = {}) => ({ type: "string", title, ...extra });
const long = (title) => text(title, { format: "textarea" });

const KINDS = {
  photo: { label: "Photo", fields: {
    photo: text("Photo number (Photos in the library, first column of its address)"),
    caption: long("Caption (empty: the library's)"), credit: text("Credit (empty: the library's)"),
    alt: text("Alt text (empty: the library's)") } },
  gallery: { label: "Gallery", fields: {
    photos: text("Photo numbers in order, separated by commas"), caption: long("Caption") } },
  embed: { label: "Embed", fields: {
    url: text("Address of the post or video (YouTube, Vimeo, X, Instagram, Facebook, TikTok, Flourish, Datawrapper)"),
    caption: long("Caption") } },
  quote: { label: "Pull quote", fields: { text: long("Quote"), attribution: text("Who said it") } },
  factbox: { label: "Fact box", fields: { title: text("Title"), text: long("Facts, one per line") } },
  table: { label: "Table", fields: {
    caption: text("Caption (what the table shows)"),
    rows: long("Rows, one per line; cells separated by |; the first row is the header") } },
  related: { label: "Related story", fields: { story: text("Story number (from its address in the desk)") } },
};
const NAMES = ["block", ...new Set(Object.values(KINDS).flatMap((k) => Object.keys(k.fields))), "provider"];

function describe(attrs) {
  const kind = KINDS[attrs.block];
  const detail = attrs.url || attrs.text || attrs.title || attrs.caption || attrs.photo || attrs.photos || attrs.story || "";
  return `${kind ? kind.label : "Block"}: ${detail}`.slice(0, 140);
}

export const NewsBlock = Node.create({
  name: "newsBlock",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,

  addAttributes() {
    return Object.fromEntries(NAMES.map((name) => [name, {
      default: null,
      parseHTML: (element) => element.getAttribute(`data-${name}`),
      renderHTML: (attrs) => (attrs[name] ? { [`data-${name}`]: attrs[name] } : {}),
    }]));
  },

  parseHTML() {
    return [{ tag: "figure[data-block]" }];
  },

  renderHTML({ node, HTMLAttributes }) {
    return ["figure", mergeAttributes(HTMLAttributes, { class: "nr-block" }), describe(node.attrs)];
  },

  addMenuItems({ menu, buttons }) {
    for (const [kind, { label, fields }] of Object.entries(KINDS)) {
      menu.defineItem({
        name: `newsBlock:${kind}`,
        groups: "newsBlocks",
        button: buttons.text(label),
        option: crel("p", { textContent: label }),
        command(editor) {
          const selected = editor.state.selection.node;
          const editing = selected && selected.type.name === "newsBlock" && selected.attrs.block === kind;
          const initial = Object.fromEntries(Object.keys(fields).map((f) => [f, editing ? selected.attrs[f] || "" : ""]));
          updateAttrsDialog(fields, { title: label, submitText: editing ? "Update" : "Insert" })(editor, initial).then((values) => {
            if (!values) { return; }
            const attrs = { block: kind };
            for (const [f, v] of Object.entries(values)) { attrs[f] = (v || "").trim() || null; }
            if (editing) {
              editor.chain().focus().updateAttributes("newsBlock", attrs).run();
            } else {
              // After a selected block, never over it: inserting must not replace one.
              const at = selected ? editor.state.selection.to : editor.state.selection.from;
              editor.chain().focus().insertContentAt(at, { type: "newsBlock", attrs }).run();
            }
          });
        },
      });
    }
  },
});
