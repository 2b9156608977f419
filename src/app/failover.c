/* Collector failover: which of its instruments a collector writes (see failover.h). */
#include "alphapulse/failover.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alphapulse/instrument.h"
#include "alphapulse/log.h"
#include "alphapulse/session.h"
#include "alphapulse/store.h"

/* An instrument's claim: not ours, ours, or ours until the connection holding
 * it was lost (its session still writes it while the claim is asked again). */
enum claim_state { C_WAIT, C_HELD, C_RECLAIM };

struct failover {
    struct store_claims *claims;
    int failover_s;
    int n, cap;                              /* configured instruments, room for */
    char (*sym)[SYMBOL_MAX];
    unsigned char *state;                    /* enum claim_state */
    bool asked;                              /* a pass has run */
    bool told_cannot_end;                    /* a hung holder's session could not be ended: said once */
    int n_dropped, cap_dropped;              /* removed from the list, claims still held */
    char (*dropped)[SYMBOL_MAX];
    char *held_list, *waiting;               /* "A,B", written by log_roles */
    size_t list_room;
};

/* Room for at least want instruments (the lists grow by doubling); -1 out of memory. */
static int reserve(struct failover *f, int want)
{
    if (want <= f->cap)
        return 0;
    int cap = f->cap ? f->cap : 16;
    while (cap < want)
        cap *= 2;
    char (*sym)[SYMBOL_MAX] = realloc(f->sym, (size_t)cap * sizeof *sym);
    if (sym)
        f->sym = sym;
    unsigned char *state = realloc(f->state, (size_t)cap);
    if (state)
        f->state = state;
    if (!sym || !state)
        return -1;
    f->cap = cap;
    return 0;
}

struct failover *failover_open(const char *db, const char *symbols, int failover_s, char *err, size_t err_len)
{
    struct failover *f = calloc(1, sizeof *f);
    if (!f) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    f->failover_s = failover_s;
    const char *want = symbols && *symbols ? symbols : SESSION_DEFAULT_SYMBOLS;
    int names = 1;
    for (const char *c = want; *c; c++)
        names += *c == ',';
    if (reserve(f, names)) {
        snprintf(err, err_len, "out of memory");
        failover_close(f);
        return NULL;
    }
    f->n = session_parse_symbols(want, f->sym, f->cap, err, err_len);
    if (f->n < 0 || !(f->claims = store_claims_open(db, failover_s, err, err_len))) {
        failover_close(f);
        return NULL;
    }
    return f;
}

void failover_close(struct failover *f)
{
    if (!f)
        return;
    if (f->claims)
        store_claims_close(f->claims);
    free(f->sym);
    free(f->state);
    free(f->dropped);
    free(f->held_list);
    free(f->waiting);
    free(f);
}

/* "A,B" of the instruments written (held) or not */
static void list(const struct failover *f, bool written, char *out, size_t n)
{
    size_t used = 0;
    out[0] = 0;
    for (int i = 0; i < f->n && used < n; i++)
        if ((f->state[i] != C_WAIT) == written)
            used += (size_t)snprintf(out + used, n - used, "%s%s", used ? "," : "", f->sym[i]);
}

static void log_roles(struct failover *f)
{
    size_t room = (size_t)f->n * SYMBOL_MAX + 1;    /* each name and its comma fit in SYMBOL_MAX */
    if (room > f->list_room) {
        char *held = realloc(f->held_list, room), *waiting = held ? realloc(f->waiting, room) : NULL;
        if (held)
            f->held_list = held;
        if (!waiting) {
            log_error("collect: out of memory listing the instruments written");
            return;
        }
        f->waiting = waiting;
        f->list_room = room;
    }
    list(f, true, f->held_list, room);
    list(f, false, f->waiting, room);
    log_info("collect: writes %s", f->held_list[0] ? f->held_list : "nothing");
    if (f->waiting[0])
        log_info("collect: stands by for %s (another collector writes them); asking every %d ms, takes over "
                 "within feed.failover_s = %d s of its holder ending or hanging", f->waiting, FAILOVER_PASS_MS,
                 f->failover_s);
}

/* The connection holding the claims was lost (a server restart, a network cut):
 * they are asked for again; the session writes on meanwhile. */
static void lost(struct failover *f)
{
    bool any = false;
    for (int i = 0; i < f->n; i++)
        if (f->state[i] == C_HELD) {
            f->state[i] = C_RECLAIM;
            any = true;
        }
    if (any)
        log_warn("collect: the connection holding the instrument locks was lost; asking for them again");
}

/* Instrument i is claimed by another: if that holder is hung (its claim
 * session idle for failover_s), its session is ended, so that the claim frees
 * and the next pass takes it. The holder, should it wake, finds its claims
 * lost and stops writing what another took. */
static void end_hung(struct failover *f, int i)
{
    char err[300];
    int pid = store_claim_end_hung(f->claims, f->sym[i], err, sizeof err);
    if (pid > 0)
        log_warn("collect: the collector writing %s has not been seen alive for %d s (hung); ended its server "
                 "session (pid %d) to take the instrument over", f->sym[i], f->failover_s, pid);
    else if (pid < 0 && !f->told_cannot_end) {
        log_warn("collect: cannot end a hung collector's session: %s", err);
        f->told_cannot_end = true;
    }
}

/* Asks for instrument i's claim: true when what this collector writes changed. */
static bool ask(struct failover *f, int i, bool *down)
{
    char err[300];
    int got = store_claim(f->claims, f->sym[i], err, sizeof err);
    if (got < 0) {
        *down = true;
        return false;
    }
    if (!got)
        end_hung(f, i);
    int was = f->state[i];
    f->state[i] = got ? C_HELD : C_WAIT;
    if (was == C_RECLAIM)
        log_info(got ? "collect: %s locked again" : "collect: %s was taken by another collector while the "
                 "connection was down; stops writing it", f->sym[i]);
    else if (got && f->asked)
        log_info("collect: takes over %s (its collector ended or hung); back-filling from its last stored candle",
                 f->sym[i]);
    return (was == C_RECLAIM) != got;
}

bool failover_pass(struct failover *f)
{
    bool changed = !f->asked || f->n_dropped > 0, down = false;
    if (f->asked && !store_claims_intact(f->claims))
        lost(f);
    for (int i = 0; i < f->n && !down; i++)
        if (f->state[i] != C_HELD)
            changed |= ask(f, i, &down);
    if (changed)
        log_roles(f);
    f->asked = true;
    return changed;
}

void failover_settle(struct failover *f)
{
    for (int i = 0; i < f->n_dropped; i++)
        store_claim_release(f->claims, f->dropped[i]);
    f->n_dropped = 0;
}

const char *failover_held(const struct failover *f) { return f->held_list ? f->held_list : ""; }

static int find(const struct failover *f, const char *symbol, char canon[SYMBOL_MAX], char *err, size_t err_len)
{
    char one[1][SYMBOL_MAX];
    if (session_parse_symbols(symbol, one, 1, err, err_len) != 1)
        return -2;
    memcpy(canon, one[0], SYMBOL_MAX);
    for (int i = 0; i < f->n; i++)
        if (strcmp(f->sym[i], canon) == 0)
            return i;
    return -1;
}

int failover_add(struct failover *f, const char *symbol, char *err, size_t err_len)
{
    char canon[SYMBOL_MAX];
    int i = find(f, symbol, canon, err, err_len);
    if (i == -2)
        return -1;
    if (i >= 0) {
        snprintf(err, err_len, "%s is already listed", canon);
        return -1;
    }
    if (reserve(f, f->n + 1)) {
        snprintf(err, err_len, "out of memory");
        return -1;
    }
    memcpy(f->sym[f->n], canon, SYMBOL_MAX);
    f->state[f->n++] = C_WAIT;               /* claimed by the next pass, if free */
    return 0;
}

int failover_del(struct failover *f, const char *symbol, char *err, size_t err_len)
{
    char canon[SYMBOL_MAX];
    int i = find(f, symbol, canon, err, err_len);
    if (i < 0) {
        if (i == -1)
            snprintf(err, err_len, "%s is not listed", canon);
        return -1;
    }
    if (f->state[i] == C_HELD) {
        if (f->n_dropped == f->cap_dropped) {
            int cap = f->cap_dropped ? f->cap_dropped * 2 : 16;
            char (*d)[SYMBOL_MAX] = realloc(f->dropped, (size_t)cap * sizeof *d);
            if (!d) {
                snprintf(err, err_len, "out of memory");
                return -1;
            }
            f->dropped = d;
            f->cap_dropped = cap;
        }
        memcpy(f->dropped[f->n_dropped++], canon, SYMBOL_MAX);
    }
    memmove(&f->sym[i], &f->sym[i + 1], (size_t)(f->n - i - 1) * sizeof f->sym[0]);
    memmove(&f->state[i], &f->state[i + 1], (size_t)(f->n - i - 1) * sizeof f->state[0]);
    f->n--;
    return 0;
}
