/* Where each value of a JSON text is: jansson tells where a syntax error is but
 * not where a valid value sits, and a configuration error must name file:line:col.
 * This scanner walks the text once and records the position of every member
 * ("a.b[2].c" -> line, column of its key, or of the element in an array). */
#ifndef ALPHAPULSE_JSON_POS_H
#define ALPHAPULSE_JSON_POS_H
#include <stdbool.h>
#include <stddef.h>

struct json_pos_entry { char *path; int line, col; };
struct json_pos_map { size_t n, cap; struct json_pos_entry *e; };

/* Returns 0, or -1 when the text is not JSON (jansson reports the details). */
int json_pos_scan(const char *text, size_t len, struct json_pos_map *m);
bool json_pos_find(const struct json_pos_map *m, const char *path, int *line, int *col);
void json_pos_free(struct json_pos_map *m);

#endif
