/* The alerts log screen: recent alerts newest first, the channels the rules
 * chose and what each delivery did, with the totals and the inbound webhook
 * counters. It reads the snapshot only; secrets never reach it (the dispatcher
 * redacts every line before publishing). */
#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "alphapulse/alert_event.h"
#include "../ui_internal.h"

/* "bell+ discord! telegram? webhook-": + delivered, ! failed, - dropped, ? pending */
static void channel_text(const struct snap_alert *a, char *out, size_t n)
{
    static const struct { unsigned bit; const char *name; } ch[] = {
        { SNAP_CH_BELL, "bell" }, { SNAP_CH_DISCORD, "discord" },
        { SNAP_CH_TELEGRAM, "telegram" }, { SNAP_CH_WEBHOOK, "webhook" },
    };
    size_t o = 0;
    out[0] = 0;
    for (size_t i = 0; i < sizeof ch / sizeof ch[0] && o < n; i++) {
        if (!(a->channels & ch[i].bit))
            continue;
        char mark = a->delivered & ch[i].bit ? '+' : a->failed & ch[i].bit ? '!' : a->dropped & ch[i].bit ? '-' : '?';
        o += (size_t)snprintf(out + o, n - o, "%s%s%c", o ? " " : "", ch[i].name, mark);
    }
}

void alerts_draw(struct ui *u, struct rect r)
{
    const struct snap_alerts *al = &u->snap->alerts;
    char buf[256];
    int y = r.y;
    for (int i = 0; i < r.h; i++) {
        move(r.y + i, r.x);
        for (int x = 0; x < r.w; x++)
            addch(' ');
    }
    attron(A_BOLD);
    snprintf(buf, sizeof buf, "Alerts  raised %llu  sent %llu  failed %llu  dropped %llu   (A: back to the chart)",
             (unsigned long long)al->raised, (unsigned long long)al->sent, (unsigned long long)al->failed,
             (unsigned long long)al->dropped);
    mvaddnstr(y++, r.x, buf, r.w);
    attroff(A_BOLD);
    if (!al->active) {
        mvaddnstr(y, r.x, "alerts are not running in this session", r.w);
        return;
    }
    if (al->wh_listening)
        snprintf(buf, sizeof buf, "Webhook in  http://%s/webhook  accepted %llu  400 %llu  401 %llu  413 %llu  "
                                  "429 %llu  405 %llu  404 %llu  busy %llu", al->wh_addr,
                 (unsigned long long)al->wh_accepted, (unsigned long long)al->wh_bad_body,
                 (unsigned long long)al->wh_bad_token, (unsigned long long)al->wh_too_large,
                 (unsigned long long)al->wh_rate_limited, (unsigned long long)al->wh_bad_method,
                 (unsigned long long)al->wh_not_found, (unsigned long long)al->wh_queue_full);
    else
        snprintf(buf, sizeof buf, "Webhook in  off (webhook.listen)");
    attron(ui_attr(u, C_DIM));
    mvaddnstr(y++, r.x, buf, r.w);
    mvaddnstr(y++, r.x, "channels: + delivered  ! failed  - dropped  ? pending", r.w);
    attroff(ui_attr(u, C_DIM));
    if (al->n == 0 && y < r.y + r.h)
        mvaddnstr(y, r.x, "no alerts yet", r.w);
    for (int i = al->n - 1; i >= 0 && y < r.y + r.h; i--) {
        const struct snap_alert *a = &al->a[i];
        char when[24] = "", chans[80];
        time_t t = (time_t)(a->time / 1000);
        struct tm tm;
        if (gmtime_r(&t, &tm))
            strftime(when, sizeof when, "%m-%d %H:%M:%S", &tm);
        channel_text(a, chans, sizeof chans);
        snprintf(buf, sizeof buf, "%s %-11s %-9s %s", when, alert_kind_name(a->kind), a->symbol, a->text);
        int attr = a->failed ? ui_attr(u, C_BAD) : 0;
        attron(attr);
        mvaddnstr(y++, r.x, buf, r.w);
        attroff(attr);
        if (y < r.y + r.h) {
            snprintf(buf, sizeof buf, "               %s%s%s", chans, a->result[0] ? "  " : "", a->result);
            attron(ui_attr(u, C_DIM));
            mvaddnstr(y++, r.x, buf, r.w);
            attroff(ui_attr(u, C_DIM));
        }
    }
}
