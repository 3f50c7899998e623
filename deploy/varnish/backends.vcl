# The app servers behind Varnish and the addresses allowed to purge (copy and edit beside
# default.vcl). Every app server renders any page: they share PostgreSQL, Redis and the bucket.
probe healthz {
    .url = "/healthz";
    .interval = 5s;
    .timeout = 2s;
    .window = 5;
    .threshold = 3;
}

backend app_a { .host = "10.0.0.11"; .port = "8000"; .probe = healthz; }
backend app_b { .host = "10.0.0.12"; .port = "8000"; .probe = healthz; }

acl purgers {
    "127.0.0.1";
    "10.0.0.11";
    "10.0.0.12";
}

sub vcl_init {
    new app = directors.round_robin();
    app.add_backend(app_a);
    app.add_backend(app_b);
}
