/* Writes N synthetic 1-minute candles as an analyze input CSV on stdout: the seeded
 * random walk of TA-Lib's ta_ref, rounded the way an exchange quotes (cents, 1e-5 lots),
 * so bench/run.sh can time the analyze process and TA-Lib's on the same file. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    unsigned long long s = 42;
    double p = 30000;
    static char buf[1 << 16];
    setvbuf(stdout, buf, _IOFBF, sizeof buf);
    puts("time,open,high,low,close,volume");
    for (long i = 0; i < n; i++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        double r = ((double)(s >> 11) / 9007199254740992.0 - 0.5) * 0.01;
        double o = round(p * 100) / 100, c = round(p * (1 + r) * 100) / 100;
        double h = round(fmax(o, c) * (1 + fabs(r) * 0.3) * 100) / 100;
        double l = round(fmin(o, c) * (1 - fabs(r) * 0.3) * 100) / 100;
        printf("%lld,%.2f,%.2f,%.2f,%.2f,%.5f\n", 1700000000000LL + 60000LL * i, o, fmax(h, fmax(o, c)),
               fmin(l, fmin(o, c)), c, 1 + fabs(r) * 1000);
        p = c;
    }
    return fflush(stdout) != 0;
}
