/* term.c — terminal width, colour wishes and output that fits the width (term.h). The
 * width is read once, before main redirects standard output to fit what a command prints. */
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "term.h"

static struct {
  bool ready, tty;
  int width;
} term;

void term_init(void) {
  if (term.ready) return;
  term.ready = true;
  term.tty = isatty(STDOUT_FILENO);
  term.width = 0;
  const char *cols = getenv("COLUMNS");
  char *end;
  long w = cols && *cols ? strtol(cols, &end, 10) : 0;
  if (cols && *cols && *end == '\0' && w > 0) term.width = (int)(w < TERM_MIN_WIDTH ? TERM_MIN_WIDTH : w > TERM_MAX_WIDTH ? TERM_MAX_WIDTH : w);
  struct winsize ws;
  if (!term.width && term.tty && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
    term.width = ws.ws_col < TERM_MIN_WIDTH ? TERM_MIN_WIDTH : ws.ws_col;
  if (!term.width) term.width = TERM_DEFAULT_WIDTH;
}

int term_width(void) {
  term_init();
  return term.width;
}

bool term_stdout_is_tty(void) {
  term_init();
  return term.tty;
}

/* Bytes of the escape sequence at s (ESC [ params letter), 0 when s is not one. */
static size_t escape_len(const char *s, size_t n) {
  if (n < 2 || s[0] != '\033' || s[1] != '[') return 0;
  size_t i = 2;
  while (i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == ';')) i++;
  return i < n ? i + 1 : n;
}

int term_display_len(const char *s, size_t n) {
  int w = 0;
  for (size_t i = 0; i < n;) {
    size_t e = escape_len(s + i, n - i);
    if (e) {
      i += e;
      continue;
    }
    if (((unsigned char)s[i] & 0xC0) != 0x80) w++;
    i++;
  }
  return w;
}

/* Bytes of s[0..n) that show at most w characters, ending on a character boundary. */
static size_t prefix_bytes(const char *s, size_t n, int w) {
  size_t i = 0;
  int shown = 0;
  while (i < n) {
    size_t e = escape_len(s + i, n - i);
    if (e) {
      i += e;
      continue;
    }
    if (shown == w) break;
    shown++;
    i++;
    while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80) i++;
  }
  return i;
}

static size_t trim_right(const char *s, size_t n) {
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) n--;
  return n;
}

/* The continuation indent of a line that needs wrapping (see term.h). */
static int hanging_indent(const char *s, size_t n, int width) {
  size_t i = 0;
  while (i < n && s[i] == ' ') i++;
  int own = (int)i;
  while (i < n && s[i] != ' ') i++;                          /* the first word */
  for (; i + 1 < n; i++) {
    if (s[i] == ' ' && s[i + 1] == ' ') {
      while (i < n && s[i] == ' ') i++;
      int col = term_display_len(s, i);
      if (i < n && col <= width / 2) return col;
      break;
    }
  }
  int h = own + 2;
  return h > width / 2 ? width / 2 : h;
}

void term_write_line(FILE *f, const char *s, size_t n, int width) {
  n = trim_right(s, n);
  if (term_display_len(s, n) <= width) {
    fwrite(s, 1, n, f);
    fputc('\n', f);
    return;
  }
  int hang = hanging_indent(s, n, width);
  int indent = 0;
  bool first = true;
  while (n > 0) {
    int room = width - indent;
    if (!first) {
      while (n > 0 && *s == ' ') s++, n--;
      fprintf(f, "%*s", indent, "");
    }
    size_t fit = prefix_bytes(s, n, room), cut = fit;
    if (fit < n) { /* break at the last space that leaves something on this line */
      size_t sp = fit;
      while (sp > 0 && s[sp] != ' ') sp--;
      size_t keep = trim_right(s, sp);
      if (keep > 0 && (first ? keep > (size_t)hang : true)) cut = sp;
    }
    size_t show = trim_right(s, cut);
    fwrite(s, 1, show, f);
    fputc('\n', f);
    s += cut, n -= cut;
    n = n ? n : 0;
    first = false;
    indent = hang;
  }
}

void term_write_text(FILE *f, const char *text, size_t len, int width) {
  while (len > 0) {
    const char *nl = memchr(text, '\n', len);
    size_t n = nl ? (size_t)(nl - text) : len;
    term_write_line(f, text, n, width);
    text += n + (nl != NULL);
    len -= n + (nl != NULL);
  }
}

void term_capture_begin(term_capture *c) {
  c->saved_fd = -1;
  c->tmp = NULL;
  term_init();
  fflush(stdout);
  int saved = dup(STDOUT_FILENO);
  if (saved < 0) return;
  FILE *tmp = tmpfile();
  if (!tmp || dup2(fileno(tmp), STDOUT_FILENO) < 0) {
    if (tmp) fclose(tmp);
    close(saved);
    return;
  }
  c->saved_fd = saved;
  c->tmp = tmp;
}

static bool capture_raw; /* term_capture_raw(): the output is for a program */

void term_capture_raw(void) { capture_raw = true; }

void term_capture_end(term_capture *c) {
  if (c->saved_fd < 0) return;
  fflush(stdout);
  dup2(c->saved_fd, STDOUT_FILENO);
  close(c->saved_fd);
  c->saved_fd = -1;
  rewind(c->tmp);
  char *line = NULL;
  size_t cap = 0;
  for (ssize_t n; (n = getline(&line, &cap, c->tmp)) > 0;)
    if (capture_raw) fwrite(line, 1, (size_t)n, stdout);
    else term_write_line(stdout, line, (size_t)n - (line[n - 1] == '\n'), term.width);
  free(line);
  fclose(c->tmp);
  c->tmp = NULL;
  capture_raw = false;
}

void term_cells(FILE *f, int col, int indent, const char *const *cells, const bool *mark, int n, int cw, int width,
                int max_lines, bool color) {
  int slot = cw + 2; /* a space before, the cell, its mark */
  int per_first = (width - col) / slot, per_line = (width - indent) / slot;
  if (per_line < 1) per_line = 1;
  if (per_first < 1) { /* nothing fits after the label: start on the next line */
    fprintf(f, "\n%*s", indent, "");
    col = indent, per_first = per_line;
  }
  int room = per_first + (max_lines - 1) * per_line, shown = n;
  if (n > room) shown = room - 1; /* the last slot says what is left out */
  if (shown < 0) shown = 0;
  int on_line = 0, limit = per_first;
  for (int i = 0; i < shown; i++) {
    if (on_line == limit) {
      fprintf(f, "\n%*s", indent, "");
      on_line = 0, limit = per_line;
    }
    bool m = mark && mark[i];
    if (m && color) fprintf(f, " \033[1;31m%*s*\033[0m", cw, cells[i]);
    else fprintf(f, " %*s%s", cw, cells[i], m ? "*" : (i + 1 < shown || shown < n) ? " " : "");
    on_line++;
  }
  if (shown < n) {
    if (on_line == limit) fprintf(f, "\n%*s", indent, "");
    fprintf(f, " … %d more", n - shown);
  }
  fputc('\n', f);
}
