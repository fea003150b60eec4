/* term.h — what the terminal allows: its width (COLUMNS, then the tty, else 80), whether
 * colour is wanted (--color, NO_COLOR, CLICOLOR_FORCE, TERM=dumb), and output that fits:
 * prose lines wrapped at spaces with a hanging indent, value cells laid out in aligned
 * columns or elided with "…" and a count, no trailing spaces. Widths count characters
 * (UTF-8 code points), not bytes; colour escapes count as nothing. */
#ifndef SEEDFLOW_CLI_TERM_H
#define SEEDFLOW_CLI_TERM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum { TERM_MIN_WIDTH = 20, TERM_MAX_WIDTH = 1000, TERM_DEFAULT_WIDTH = 80 };

/* Reads the width and whether standard output is a terminal, once, before anything
 * redirects it (main calls it first). Later calls return the first answer. */
void term_init(void);
/* COLUMNS when it is a number (clamped to [TERM_MIN_WIDTH, TERM_MAX_WIDTH]), else the
 * width of the terminal on standard output (TIOCGWINSZ), else TERM_DEFAULT_WIDTH. */
int term_width(void);
/* Whether standard output was a terminal when term_init ran. */
bool term_stdout_is_tty(void);

/* Characters s[0..n) shows: UTF-8 continuation bytes and ESC [ ... m sequences count 0. */
int term_display_len(const char *s, size_t n);

/* Writes one logical line (without its newline) to f so that it fits width: unchanged
 * when it fits, else broken at spaces; continuation lines are indented to the column
 * after the line's first run of two or more spaces following its first word (a table's
 * second column) when that is within the left half, else two more than its own indent.
 * A word longer than the room is cut. Trailing spaces are dropped; ends with '\n'. */
void term_write_line(FILE *f, const char *line, size_t len, int width);
/* term_write_line for every line of text[0..len). */
void term_write_text(FILE *f, const char *text, size_t len, int width);

/* Standard output captured into a temporary file while a command runs, then written to
 * the real standard output fitted to the width (term_write_text): every command whose
 * output is read by a person goes through this, whatever it prints. */
typedef struct term_capture {
  int saved_fd;  /* the real standard output, -1 when not capturing */
  FILE *tmp;
} term_capture;
/* Starts capturing; when that is impossible (no temp file, fd 1 closed) output goes
 * straight through, unfitted. */
void term_capture_begin(term_capture *c);
/* The command's output turned out to be for a program (TAP, XML, JSON): term_capture_end
 * writes it as it is, unfitted. */
void term_capture_raw(void);
/* Restores standard output and writes the captured text to it, fitted. */
void term_capture_end(term_capture *c);

/* Lays out n cells (strings) right-aligned in columns of cw characters, starting at
 * column col (what the line already holds) with continuation lines indented by indent,
 * as many per line as width allows and at most max_lines lines; cells that do not fit
 * are replaced by "… N more". mark[i] (may be NULL) appends '*' to cell i, coloured
 * bold red when color. Ends with '\n'. */
void term_cells(FILE *f, int col, int indent, const char *const *cells, const bool *mark, int n, int cw, int width,
                int max_lines, bool color);

#endif
