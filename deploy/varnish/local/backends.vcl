# `make varnish`: one app server, `make run` on 127.0.0.1:8000.
backend app_local { .host = "127.0.0.1"; .port = "8000"; }

acl purgers {
    "127.0.0.1";
}

sub vcl_init {
    new app = directors.round_robin();
    app.add_backend(app_local);
}
