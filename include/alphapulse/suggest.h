/* "Did you mean ...?" for words a user typed: the configuration's keys, the
 * console's arguments. Edit distance (Levenshtein) over short words. */
#ifndef ALPHAPULSE_SUGGEST_H
#define ALPHAPULSE_SUGGEST_H

/* Insertions, deletions and substitutions turning a into b; 99 when either is
 * longer than 63 characters. */
int suggest_distance(const char *a, const char *b);
/* The word of words[0..n) nearest to word, if at most max_dist edits away
 * (the first of equals); NULL otherwise. */
const char *suggest_nearest(const char *word, const char *const *words, int n, int max_dist);

#endif
