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

/* Every number reads as strtod reads it, whichever path the parser takes: plain
 * decimals of every length and scale, signs, exponents, leading zeros. */
static void numbers_read_as_strtod(void)
{
    unsigned long long rng = 88172645463325252ULL;
    long tried = 0, differ = 0;
    for (int i = 0; i < 300000; i++) {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        char num[64];
        int nd = 1 + (int)(rng % 21), dot = (int)(rng >> 8) % (nd + 2), k = 0;
        if (rng >> 20 & 1)
            num[k++] = '-';
        unsigned long long d = rng >> 24;
        for (int j = 0; j < nd; j++) {
            if (j == dot)
                num[k++] = '.';
            num[k++] = (char)('0' + (j == 0 && (rng >> 40 & 3) == 0 ? 0 : d % 10));
            d = d / 10 ? d / 10 : rng >> 30 | 1;
        }
        if ((rng >> 50 & 7) == 0)
            k += snprintf(num + k, sizeof num - (size_t)k, "e%d", (int)(rng >> 53 & 31) - 16);
        num[k] = 0;
        char line[160], why[128];
        snprintf(line, sizeof line, "60000,1,1,1,1,%s\r\n", num);
        struct candle c;
        double want = strtod(num, NULL);
        if (candle_csv_parse_line(line, &c, why, sizeof why))
            continue;                                  /* negative volume, or "." alone */
        tried++;
        if (memcmp(&c.volume, &want, sizeof want) != 0 && differ++ < 5)
            printf("#   %s read as %.17g, strtod %.17g\n", num, c.volume, want);
    }
    printf("# %ld numbers compared with strtod, %ld differ\n", tried, differ);
    CHECK(tried > 100000 && differ == 0);
}

int main(void)
{
    RUN(price_bound);
    RUN(load_names_the_line);
    RUN(numbers_read_as_strtod);
    HARNESS_EXIT();
}
