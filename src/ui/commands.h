/* The console's command handlers, one file per family (cmd_*.c), gathered
 * into one table in keymap.c. Internal to src/ui. */
#ifndef AP_UI_COMMANDS_H
#define AP_UI_COMMANDS_H

struct ui;

/* cmd_view.c */
int cmd_tf(struct ui *u, int argc, char **argv);
int cmd_symbol_next(struct ui *u, int argc, char **argv);
int cmd_symbol_prev(struct ui *u, int argc, char **argv);
int cmd_symbol(struct ui *u, int argc, char **argv);
int cmd_search(struct ui *u, int argc, char **argv);
int cmd_command(struct ui *u, int argc, char **argv);
int cmd_focus_next(struct ui *u, int argc, char **argv);
int cmd_focus_prev(struct ui *u, int argc, char **argv);
int cmd_focus(struct ui *u, int argc, char **argv);
int cmd_left(struct ui *u, int argc, char **argv);
int cmd_right(struct ui *u, int argc, char **argv);
int cmd_up(struct ui *u, int argc, char **argv);
int cmd_down(struct ui *u, int argc, char **argv);
int cmd_zoom_in(struct ui *u, int argc, char **argv);
int cmd_zoom_out(struct ui *u, int argc, char **argv);
int cmd_page_up(struct ui *u, int argc, char **argv);
int cmd_page_down(struct ui *u, int argc, char **argv);
int cmd_first(struct ui *u, int argc, char **argv);
int cmd_latest(struct ui *u, int argc, char **argv);
int cmd_cursor(struct ui *u, int argc, char **argv);
int cmd_select(struct ui *u, int argc, char **argv);
int cmd_back(struct ui *u, int argc, char **argv);
/* cmd_trade.c */
int cmd_buy(struct ui *u, int argc, char **argv);
int cmd_sell(struct ui *u, int argc, char **argv);
int cmd_close(struct ui *u, int argc, char **argv);
int cmd_cancel(struct ui *u, int argc, char **argv);
int cmd_edit(struct ui *u, int argc, char **argv);
int cmd_perf(struct ui *u, int argc, char **argv);
int cmd_kill(struct ui *u, int argc, char **argv);
int cmd_orders(struct ui *u, int argc, char **argv);
int cmd_unlock(struct ui *u, int argc, char **argv);
int cmd_signal_take(struct ui *u, int argc, char **argv);
int cmd_signal_dismiss(struct ui *u, int argc, char **argv);
/* cmd_replay.c */
int cmd_pause(struct ui *u, int argc, char **argv);
int cmd_faster(struct ui *u, int argc, char **argv);
int cmd_slower(struct ui *u, int argc, char **argv);
int cmd_speed(struct ui *u, int argc, char **argv);
int cmd_step(struct ui *u, int argc, char **argv);
/* cmd_screens.c */
int cmd_help(struct ui *u, int argc, char **argv);
int cmd_settings(struct ui *u, int argc, char **argv);
int cmd_indicator(struct ui *u, int argc, char **argv);
int cmd_health(struct ui *u, int argc, char **argv);
int cmd_alerts(struct ui *u, int argc, char **argv);
int cmd_scan(struct ui *u, int argc, char **argv);
int cmd_book(struct ui *u, int argc, char **argv);
int cmd_book_group(struct ui *u, int argc, char **argv);
int cmd_filter(struct ui *u, int argc, char **argv);
int cmd_quit(struct ui *u, int argc, char **argv);
/* cmd_config.c */
int cmd_theme(struct ui *u, int argc, char **argv);
int cmd_theme_next(struct ui *u, int argc, char **argv);
int cmd_set(struct ui *u, int argc, char **argv);
int cmd_bind(struct ui *u, int argc, char **argv);
int cmd_reload(struct ui *u, int argc, char **argv);
/* cmd_data.c */
int cmd_add(struct ui *u, int argc, char **argv);
int cmd_del(struct ui *u, int argc, char **argv);
int cmd_export(struct ui *u, int argc, char **argv);

/* 0 when argc is want + 1, else the usage message and -1 */
int ui_need_args(struct ui *u, int argc, int want, const char *name);
extern const char *const ui_setting_names[];
extern const int ui_setting_count;

#endif
