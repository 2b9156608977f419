/* Candle CSV parsing: the price bound and the line numbers in what candle_csv_load
 * (backtest, replay) reports for a file that breaks it. */
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"
#include "alphapulse/candle_csv.h"

static void price_bound(void)
{
    struct candle c;
    char why[128];
    CHECK(candle_csv_parse_line("60000,1e15,1e15,1e15,1e15,5", &c, why, sizeof why) == 0 && c.close == 1e15);
    CHECK(candle_csv_parse_line("60000,1,1.0000000000000002e15,1,1,5", &c, why, sizeof why) == -1);
    CHECK_MSG(strcmp(why, "high 1000000000000000.2 is above the price limit 1e+15") == 0, "%s", why);
    CHECK(candle_csv_parse_line("60000,1e308,1e308,1e308,1e308,5", &c, why, sizeof why) == -1);
    CHECK_MSG(strcmp(why, "open 1e+308 is above the price limit 1e+15") == 0, "%s", why);
    CHECK(candle_csv_parse_line("60000,1,2,1,1e300,5", &c, why, sizeof why) == -1 && strncmp(why, "close", 5) == 0);
    CHECK(candle_csv_parse_line("60000,1,2,0,1,5", &c, why, sizeof why) == -1);             /* <= 0 as before */
    CHECK(candle_csv_parse_line("60000,1,2,1,1,inf", &c, why, sizeof why) == -1);
    CHECK(candle_csv_parse_line("60000,1,2,1,1,1e308", &c, why, sizeof why) == 0);         /* volume: finite */
}

static void load_names_the_line(void)
{
    char path[] = "/tmp/ap-csv-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    fputs("time,open,high,low,close,volume\n60000,1,2,1,2,5\n120000,1,2e15,1,2,5\n", f);
    fclose(f);
    struct candle *c = NULL;
    size_t n = 0;
    char err[512], want[600];
    CHECK(candle_csv_load(path, &c, &n, err, sizeof err) == -1 && c == NULL);
    snprintf(want, sizeof want, "%s:3: high 2000000000000000 is above the price limit 1e+15", path);
    CHECK_MSG(strcmp(err, want) == 0, "%s", err);
    unlink(path);
}

int main(void)
{
    RUN(price_bound);
    RUN(load_names_the_line);
    HARNESS_EXIT();
}
