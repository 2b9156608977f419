/* The demo manifest's "volume" unit: a file that counts the quote currency keeps
 * it as the candles' quote volume and gets its base volume at the close; the
 * bundled FTX file is such a file. */
#include "harness.h"
#include "scratch_dir.h"

#include <stdlib.h>
#include <unistd.h>

#include "alphapulse/replay.h"

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static struct replay *open_with(const char *unit, char *err, size_t err_len)
{
    write_file(scratch_path("c.csv"), "time,open,high,low,close,volume\n"
                                      "60000,100,110,90,105,2100\n"
                                      "120000,105,106,100,100,500\n");
    char manifest[512];
    snprintf(manifest, sizeof manifest,
             "[{\"symbol\": \"XPERP\", \"base\": \"X\", \"quote\": \"USD\", \"file\": \"c.csv\", "
             "\"tick\": 1, \"step\": 0.001, \"min_notional\": 0%s%s%s}]",
             unit ? ", \"volume\": \"" : "", unit ? unit : "", unit ? "\"" : "");
    write_file(scratch_path("demo.json"), manifest);
    return replay_open(scratch_path("demo.json"), err, err_len);
}

static void test_quote_volume_file()
{
    char err[256] = "";
    struct replay *r = open_with("quote", err, sizeof err);
    CHECK_MSG(r, "%s", err);
    if (!r)
        return;
    size_t n = 0;
    const struct candle *c = replay_candles(r, 0, &n);
    CHECK(n == 2);
    CHECK_NEAR(c[0].quote_volume, 2100, 1e-15);
    CHECK_NEAR(c[0].volume, 20, 1e-15);
    CHECK_NEAR(c[1].quote_volume, 500, 1e-15);
    CHECK_NEAR(c[1].volume, 5, 1e-15);
    replay_close(r);
}

static void test_base_volume_is_the_default()
{
    char err[256] = "";
    struct replay *r = open_with(NULL, err, sizeof err);
    CHECK_MSG(r, "%s", err);
    if (!r)
        return;
    size_t n = 0;
    const struct candle *c = replay_candles(r, 0, &n);
    CHECK(n == 2 && c[0].volume == 2100 && c[0].quote_volume == 0);
    replay_close(r);
}

static void test_unknown_unit_refused()
{
    char err[256] = "";
    struct replay *r = open_with("usd", err, sizeof err);
    CHECK(!r);
    CHECK_MSG(strstr(err, "\"volume\" is \"base\" or \"quote\""), "%s", err);
    replay_close(r);
}

/* the bundled perpetual: USD per minute in the file, BTC after loading */
static void test_bundled_ftx_file()
{
    char err[256] = "";
    struct replay *r = replay_open("data/demo.json", err, sizeof err);
    CHECK_MSG(r, "%s", err);
    if (!r)
        return;
    struct instrument inst[8];
    int k = replay_symbols(r, inst, 8), found = 0;
    for (int i = 0; i < k; i++) {
        if (strcmp(inst[i].symbol, "BTCPERP"))
            continue;
        size_t n = 0;
        const struct candle *c = replay_candles(r, i, &n);
        found = 1;
        CHECK(n > 1000);
        /* 2022-01-01 00:01: 2,300,413.7295 USD closing at 46,377 */
        CHECK_NEAR(c[0].quote_volume, 2300413.7295, 1e-15);
        CHECK_NEAR(c[0].volume, 2300413.7295 / 46377.0, 1e-15);
    }
    CHECK(found);
    replay_close(r);
}

int main(void)
{
    if (scratch_make("/tmp/ap-replay-XXXXXX"))
        return 1;
    RUN(test_quote_volume_file);
    RUN(test_base_volume_is_the_default);
    RUN(test_unknown_unit_refused);
    RUN(test_bundled_ftx_file);
    remove(scratch_path("c.csv"));
    remove(scratch_path("demo.json"));
    rmdir(scratch_dir);
    HARNESS_EXIT();
}
