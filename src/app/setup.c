/* What every mode does before its session starts: the configuration (file,
 * --set, --check-config), the paper account, the database path and, for live
 * data, endpoints and symbols — command line first, then the file, then defaults. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alphapulse/app.h"
#include "alphapulse/log.h"
#include "alphapulse/paths.h"
#include "alphapulse/store.h"
#include "alphapulse/ui.h"

int app_setup(const struct cli *cli, enum session_feed feed, struct app_setup *st, const char *prog)
{
    memset(&st->o, 0, sizeof st->o);
    int rc = app_config_load(cli, &st->cfg);
    if (rc >= 0)
        return rc;
    const struct config *c = &st->cfg;
    struct session_options *o = &st->o;
    o->venue = feed == SESSION_REPLAY ? "demo" : NULL;
    /* the demo replays one month: 4h and 1d signals would never warm up, so unless
     * the user chose, it raises them on every timeframe without the cost gate (the
     * README's tables show what those signals are worth after costs) */
    if (feed == SESSION_REPLAY && config_source_of(&st->cfg, "signals.timeframes") == CFG_SRC_DEFAULT &&
        config_source_of(&st->cfg, "signals.max_cost_r") == CFG_SRC_DEFAULT) {
        char e2[200];
        if (config_set(&st->cfg, "signals.timeframes", "1m,5m,15m,1h,4h,1d", CFG_SRC_DEFAULT, e2, sizeof e2) ||
            config_set(&st->cfg, "signals.max_cost_r", "1000", CFG_SRC_DEFAULT, e2, sizeof e2))
            log_error("demo signal settings: %s", e2);
    }
    engine_config_defaults(&o->engine);
    engine_config_from_file(c, &o->engine);
    /* ui.keys: checked by the configuration already; the table can still be full */
    keymap_init(&st->keys);
    for (int i = 0; i < c->ui.n_keys; i++) {
        int k = keymap_bind(&st->keys, c->ui.keys[i].key, c->ui.keys[i].command);
        if (k) {
            fprintf(stderr, "%s: %s: ui.keys.%s: %s\n", prog, c->path, c->ui.keys[i].key,
                    k == -1 ? "unknown key name (a, A, C-a, Tab, S-Tab, Enter, Esc, Space, Left, Right, Up, "
                              "Down, Home, End, PgUp, PgDn, F1-F12)"
                    : k == -2 ? "unknown command (alphapulse --keys lists them)" : "too many bindings");
            return 2;
        }
    }
    char err[512];
    if (cli->account && store_account_check(cli->account, err, sizeof err)) {
        fprintf(stderr, "%s: %s\n", prog, err);
        return 2;
    }
    o->account = cli->account;
    if (app_config_alerts(c, &st->alerts, &st->webhook, err, sizeof err)) {
        fprintf(stderr, "%s: %s\n", prog, err);
        return 2;
    }
    if (cli->webhook_token_file && webhook_token_file(cli->webhook_token_file, &st->webhook, err, sizeof err)) {
        fprintf(stderr, "%s: --webhook-token-file %s\n", prog, err);
        return 2;
    }
    if (cli->webhook_listen && webhook_parse_listen(cli->webhook_listen, &st->webhook, err, sizeof err)) {
        fprintf(stderr, "%s: --webhook-listen: %s\n", prog, err);
        return 2;
    }
    if (st->webhook.listen && strlen(st->webhook.token) < 16) {
        fprintf(stderr, "%s: the webhook endpoint needs a shared token of at least 16 characters: "
                        "--webhook-token-file FILE, webhook.token_file in the config, or ALPHAPULSE_WEBHOOK_TOKEN\n",
                prog);
        return 2;
    }
    o->alerts = &st->alerts;
    o->webhook = &st->webhook;
    store_retention_defaults(&st->retention);
    for (int tf = 0; tf < TF_COUNT; tf++)
        st->retention.keep_ms[tf] = c->storage.retention_days[tf] * 86400000LL;
    st->retention.keep_trades_ms = c->storage.trades_retention_days * 86400000LL;
    o->retention = &st->retention;
    if (c->storage.password_file[0])
        store_set_password_file(c->storage.password_file);
    if (cli->db)
        o->db = cli->db;
    else if (c->storage.url[0])
        o->db = c->storage.url;
    else if (c->storage.path[0])
        o->db = c->storage.path;
    else if (paths_xdg("DATA", feed == SESSION_LIVE ? "alphapulse.db" : "alphapulse-demo.db", st->db,
                       sizeof st->db) == 0)
        o->db = st->db;
    else {
        fprintf(stderr, "%s: %s; give --db PATH\n", prog, st->db);
        return 1;
    }
    if (feed == SESSION_REPLAY) {
        o->symbols = cli->symbols;
        if (paths_demo_manifest(st->manifest, sizeof st->manifest)) {
            fprintf(stderr, "%s: demo data not found (looked for %s; set ALPHAPULSE_DATA to the "
                            "directory holding demo.json)\n", prog, st->manifest);
            return 1;
        }
        o->live.manifest = st->manifest;
        o->live.speed = cli->speed;
        return -1;
    }
    if (app_live_options(cli, &o->live, err, sizeof err)) {
        fprintf(stderr, "%s: %s\n", prog, err);
        return 2;
    }
    /* endpoints per venue (venues.NAME.*): --rest-url/--ws-url are Binance's */
    o->endpoints[0] = (struct session_endpoints){ .name = "binance",
                                                   .rest_url = cli->rest_url ? cli->rest_url : c->venues.binance.rest_url,
                                                   .ws_url = cli->ws_url ? cli->ws_url : c->venues.binance.ws_url };
    o->endpoints[1] = (struct session_endpoints){ .name = "bybit", .rest_url = c->venues.bybit.rest_url,
                                                   .ws_url = c->venues.bybit.ws_url };
    o->n_endpoints = 2;
    o->live.rest_url = o->live.ws_url = NULL;
    o->live.ca_file = c->feed.ca_file;
    o->depth = c->feed.depth;
    if (c->storage.trades && !c->feed.depth)
        log_warn("storage.trades is on but feed.depth is off: no trades come to store");
    o->live.backoff_base_ms = c->feed.reconnect_min_ms;
    o->live.store_stale_s = c->feed.failover_s;
    o->live.backoff_cap_ms = c->feed.reconnect_max_ms;
    o->live.streams_per_conn = c->feed.streams_per_connection;
    if (!cli->stale_after_s)
        o->live.stale_after_s = c->feed.stale_seconds;
    /* the list as written (--symbols, else feed.symbols), its patterns resolved */
    char *list = app_symbols_written(cli, c);
    if (!list) {
        fprintf(stderr, "%s: out of memory\n", prog);
        return 1;
    }
    st->symbols_from_file = !cli->symbols;
    o->symbols = st->symbols;
    int bad = *list && app_symbols_resolve(list, o->endpoints[0].rest_url, c->feed.ca_file, c->feed.max_symbols,
                                           st->symbols, sizeof st->symbols, err, sizeof err);
    free(list);
    if (bad) {
        fprintf(stderr, "%s: %s: %s\n", prog, cli->symbols ? "--symbols" : "feed.symbols", err);
        return 2;
    }
    return -1;
}
