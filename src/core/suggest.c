/* Edit distance for "did you mean": a full table is fine, the words are short
 * (keys, command arguments) and this runs once per mistake. */
#include "alphapulse/suggest.h"

#include <stddef.h>
#include <string.h>

int suggest_distance(const char *a, const char *b)
{
    int la = (int)strlen(a), lb = (int)strlen(b);
    if (la > 63 || lb > 63)
        return 99;
    int d[64][64];
    for (int i = 0; i <= la; i++)
        d[i][0] = i;
    for (int j = 0; j <= lb; j++)
        d[0][j] = j;
    for (int i = 1; i <= la; i++)
        for (int j = 1; j <= lb; j++) {
            int s = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            int del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
            d[i][j] = s < del ? (s < ins ? s : ins) : (del < ins ? del : ins);
        }
    return d[la][lb];
}

const char *suggest_nearest(const char *word, const char *const *words, int n, int max_dist)
{
    const char *best = NULL;
    int bd = max_dist + 1;
    for (int i = 0; i < n; i++) {
        int d = suggest_distance(word, words[i]);
        if (d < bd) {
            bd = d;
            best = words[i];
        }
    }
    return best;
}
