/*
 * shell.c: `litecon shell TARGET`, the loop. GNU readline's callback
 * interface reads lines while one poll() waits on the terminal, so the
 * signals stay ours: Ctrl-C at the prompt clears the line (and any
 * statement being continued), Ctrl-C while a statement runs cancels it
 * through conn_interrupt and the prompt comes back; Ctrl-Z suspends with
 * the terminal restored; Ctrl-D leaves with status 0. Lines go to the
 * session as dot-commands or, once sqlite3_complete says so, as SQL. Each
 * command's output (errors too, when both go to the terminal) is kept by
 * the pager, which shows it through $PAGER only when it would not fit.
 */
#define _GNU_SOURCE
#include "shell.h"
#include "dot.h"
#include "render.h"
#include "sqlval.h"
#include "textesc.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#define HISTORY_MAX 2000
#define DEFAULT_PAGER "less -SRFX"

typedef struct shell {
	session s;
	char *prompt, *cont;     /* owned: first-line and continuation prompts */
	buf stmt;                /* the statement being typed */
	char *history;           /* owned: history file, or NULL for none */
	char *pager;             /* owned: pager command, or NULL for none */
	int term_err;            /* stderr is the terminal stdout is */
} shell;

static volatile sig_atomic_t got_int, got_winch, got_tstp, got_quit;

/* The line readline handed over (owned), and whether one arrived. */
static char *got_text;
static int got_line, handler_on;

/* ---- signals ---- */

static void on_signal(int sig)
{
	if (sig == SIGINT) {
		got_int = 1;
		conn_interrupt();
	} else if (sig == SIGWINCH) {
		got_winch = 1;
	} else if (sig == SIGTSTP) {
		got_tstp = 1;
	} else if (sig == SIGTERM || sig == SIGHUP) {
		got_quit = sig;
		conn_interrupt();
	}
	/* SIGPIPE: nothing; the write that caused it fails with EPIPE */
}

static void catch(int sig, int on)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on ? on_signal : SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);  /* no SA_RESTART: poll and reads return */
}

/* ---- readline ---- */

static void on_line(char *line)
{
	rl_callback_handler_remove();
	handler_on = 0;
	got_text = line;
	got_line = 1;
}

static void prompt_on(const char *prompt)
{
	rl_callback_handler_install(prompt, on_line);
	handler_on = 1;
}

static void prompt_off(void)
{
	if (handler_on)
		rl_callback_handler_remove();
	handler_on = 0;
}

/* Ctrl-C at the prompt: drop the line and the statement being continued. */
static void clear_input(shell *sh)
{
	got_int = 0;
	conn_interrupt_reset();
	rl_callback_sigcleanup();
	fputs("^C", rl_outstream);  /* before readline puts the cursor at column 0 */
	rl_replace_line("", 1);
	using_history();            /* Up starts again from the newest line */
	prompt_off();
	fputc('\n', rl_outstream);
	buf_reset(&sh->stmt);
	prompt_on(sh->prompt);
}

/* Ctrl-Z at the prompt: restore the terminal, stop, and come back to the
 * same line. */
static void suspend(const char *prompt)
{
	char *line = xstrdup(rl_line_buffer);
	int point = rl_point;
	got_tstp = 0;
	prompt_off();
	fputc('\n', rl_outstream);
	fflush(rl_outstream);
	catch(SIGTSTP, 0);
	raise(SIGTSTP);          /* stopped here until fg */
	catch(SIGTSTP, 1);
	prompt_on(prompt);
	rl_replace_line(line, 0);
	rl_point = point;
	rl_redisplay();
	free(line);
}

/* Read one line: 0 with *out (owned), or -1 at end of input (Ctrl-D) or
 * after SIGTERM / SIGHUP. */
static int read_line(shell *sh, char **out)
{
	got_line = 0;
	got_text = NULL;
	got_int = 0;
	conn_interrupt_reset();
	catch(SIGTSTP, 1);
	prompt_on(sh->stmt.len ? sh->cont : sh->prompt);
	while (!got_line && !got_quit) {
		struct pollfd pf = { fileno(rl_instream), POLLIN, 0 };
		int r = poll(&pf, 1, -1);
		if (r < 0 && errno != EINTR)
			break;
		if (got_int)
			clear_input(sh);
		if (got_winch) {
			got_winch = 0;
			rl_resize_terminal();
		}
		if (got_tstp)
			suspend(sh->stmt.len ? sh->cont : sh->prompt);
		if (r > 0 && (pf.revents & (POLLIN | POLLHUP | POLLERR)))
			rl_callback_read_char();
	}
	prompt_off();
	catch(SIGTSTP, 0);
	*out = got_text;
	got_text = NULL;
	return *out ? 0 : -1;
}

/* ---- history ---- */

/* mkdir -p with mode 0700 for the directories it creates. */
static int make_dirs(char *dir)
{
	for (char *p = dir + 1;; p++) {
		if (*p != '/' && *p)
			continue;
		char c = *p;
		*p = 0;
		int rc = mkdir(dir, 0700);
		*p = c;
		if (rc < 0 && errno != EEXIST)
			return -1;
		if (!c)
			return 0;
	}
}

/* $XDG_STATE_HOME/litecon/history (default ~/.local/state/...), created
 * 0600 in a 0700 directory; NULL when there is no such place. */
static char *history_file(void)
{
	const char *x = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char *dir;
	if (x && x[0] == '/')
		dir = xasprintf("%s/litecon", x);
	else if (home && home[0] == '/')
		dir = xasprintf("%s/.local/state/litecon", home);
	else
		return NULL;
	char *path = xasprintf("%s/history", dir);
	int fd = make_dirs(dir) == 0 ? open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600) : -1;
	free(dir);
	if (fd < 0) {
		free(path);
		return NULL;
	}
	close(fd);
	return path;
}

static void history_begin(shell *sh)
{
	using_history();
	stifle_history(HISTORY_MAX);
	sh->history = history_file();
	if (sh->history)
		read_history(sh->history);
}

/* Keep a line typed (not blank, not the same as the one before), on disk
 * at once so a killed shell loses nothing and other shells see it. */
static void history_keep(shell *sh, const char *line)
{
	if (!line[strspn(line, " \t")])
		return;
	HIST_ENTRY *last = history_length ? history_get(history_base + history_length - 1) : NULL;
	if (last && strcmp(last->line, line) == 0)
		return;
	add_history(line);
	if (sh->history)
		append_history(1, sh->history);
}

static void history_end(shell *sh)
{
	if (sh->history)
		history_truncate_file(sh->history, HISTORY_MAX);
	clear_history();
	free(sh->history);
}

/* ---- commands ---- */

/* Run one command (a dot-command line or complete SQL) through the pager
 * when output goes to the terminal. Errors end nothing here: the shell goes
 * on, and only .exit sets the final status. */
static void run_cmd(shell *sh, const char *text, int dot)
{
	session *s = &sh->s;
	pager *pg = NULL;
	int rows = 0, cols = 0;
	struct termios tio, quiet;
	int have_tio = tcgetattr(fileno(stdin), &tio) == 0;
	if (have_tio) {  /* Ctrl-C is not echoed as ^C before "cancelled" */
		quiet = tio;
		quiet.c_lflag &= ~(tcflag_t)ECHOCTL;
		tcsetattr(fileno(stdin), TCSANOW, &quiet);
	}
	/* A Ctrl-C since the line was read is meant for this command: keep it. */
	if (s->pager && sh->pager && !s->out && isatty(fileno(stdout))) {
		rl_get_screen_size(&rows, &cols);
		pg = pager_open(stdout, rows, cols, sh->pager);
	}
	if (pg) {
		s->base = pager_stream(pg);
		if (sh->term_err)
			s->err = s->base;  /* errors stay in order with the rows */
		session_reroute(s);
	}
	if (dot)
		session_dot(s, text);
	else
		session_sql(s, text);
	if (pg) {
		s->base = stdout;
		s->err = stderr;
		session_reroute(s);
		pager_close(pg);
	}
	if (!s->quit)
		s->stop = s->status = 0;
	if (have_tio)
		tcsetattr(fileno(stdin), TCSANOW, &tio);
	conn_interrupt_reset();
	got_int = 0;
}

/* A line typed: a dot-command at the start of a statement, else SQL that
 * runs once complete. */
static void take_line(shell *sh, const char *line)
{
	history_keep(sh, line);
	if (!sh->stmt.len) {
		const char *p = line + strspn(line, " \t");
		if (*p == '.') {
			run_cmd(sh, p, 1);
			return;
		}
		if (session_blank(p))
			return;
	}
	buf_adds(&sh->stmt, line);
	buf_addc(&sh->stmt, '\n');
	if (sql_complete(sh->stmt.p)) {
		run_cmd(sh, sh->stmt.p, 0);
		buf_reset(&sh->stmt);
	}
}

/* ---- set-up ---- */

static int in_path(const char *prog)
{
	const char *path = getenv("PATH");
	for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
		size_t n = strcspn(p, ":");
		char *f = xasprintf("%.*s/%s", (int)n, p, prog);
		int ok = access(f, X_OK) == 0;
		free(f);
		if (ok)
			return 1;
		p += n + (p[n] == ':');
	}
	return 0;
}

/* $PAGER, else less -SRFX when less is installed; "" means none. */
static char *pager_cmd(void)
{
	const char *p = getenv("PAGER");
	if (p)
		return *p ? xstrdup(p) : NULL;
	return in_path("less") ? xstrdup(DEFAULT_PAGER) : NULL;
}

/* "label:main> " and a continuation prompt as wide: "       ...> ". */
static void make_prompts(shell *sh, conn *c)
{
	buf b = { 0 };
	const char *schema = "main", *path;
	conn_db(c, 0, &schema, &path);
	esc_display(&b, c->label, strlen(c->label), 0);
	buf_adds(&b, ":");
	esc_display(&b, schema, strlen(schema), 0);
	buf_adds(&b, "> ");
	int w = u8_width(b.p, b.len);
	sh->prompt = b.p;
	sh->cont = xasprintf("%*s", w, "...> ");
}

static void configure(session *s, const cli *o)
{
	render *r = s->r;
	render_set_mode(r, o->mode ? o->mode : isatty(fileno(stdout)) ? "box" : "list");
	if (o->header >= 0)
		render_set_header(r, o->header);
	if (o->colsep)
		render_set_colsep(r, o->colsep);
	if (o->rowsep)
		render_set_rowsep(r, o->rowsep);
	if (o->nullvalue)
		render_set_null(r, o->nullvalue);
}

static void readline_begin(shell *sh)
{
	rl_readline_name = "litecon";
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;
	rl_instream = stdin;
	rl_outstream = isatty(fileno(stdout)) ? stdout : stderr;
	shell_complete_begin(&sh->s);
	history_begin(sh);
	catch(SIGINT, 1);
	catch(SIGTERM, 1);
	catch(SIGHUP, 1);
	catch(SIGWINCH, 1);
	catch(SIGPIPE, 1);
}

static void banner(conn *c)
{
	buf b = { 0 };
	esc_display(&b, c->target, strlen(c->target), 0);
	int n = conn_ndb(c);
	fprintf(stderr, "litecon %s shell on %s (%d database%s, read-only). "
			"Enter .help for the dot-commands; Ctrl-D leaves.\n",
		LC_VERSION, b.p, n, n == 1 ? "" : "s");
	buf_free(&b);
}

static int interactive(shell *sh)
{
	char *line;
	readline_begin(sh);
	banner(sh->s.c);
	while (!sh->s.quit && read_line(sh, &line) == 0) {
		/* a bracketed paste arrives as one line holding newlines */
		for (char *p = line, *nl; p && !sh->s.quit; p = nl ? nl + 1 : NULL) {
			if ((nl = strchr(p, '\n')) != NULL)
				*nl = 0;
			take_line(sh, p);
		}
		free(line);
	}
	if (!sh->s.quit && !got_quit)
		fputc('\n', rl_outstream);  /* after Ctrl-D, leave the line clean */
	if (sh->stmt.len && !session_blank(sh->stmt.p))
		fputs("litecon: the unfinished statement was not run\n", stderr);
	shell_complete_end();
	history_end(sh);
	rl_callback_sigcleanup();
	return got_quit ? 128 + got_quit : sh->s.quit ? sh->s.status : 0;
}

/* -f FILE runs first, as sqlite3's -init does. */
static void run_init(shell *sh, const char *file)
{
	FILE *f = fopen(file, "r");
	if (!f) {
		lc_err e;
		lc_err_set(&e, LC_EUSAGE, "cannot read script %s: %s", file, strerror(errno));
		session_fail(&sh->s, &e);
		return;
	}
	session_script(&sh->s, f, file);
	fclose(f);
}

int shell_main(const cli *o, conn *c)
{
	render *r = render_new(stdout, isatty(fileno(stdout)));
	shell sh = { .s = { .c = c, .r = r, .err = stderr, .bail = o->bail, .opts = o, .pager = 1,
			    .timeout_ms = o->timeout_ms >= 0 ? o->timeout_ms : 30000 } };
	int rc;
	configure(&sh.s, o);
	sh.term_err = isatty(fileno(stderr)) && isatty(fileno(stdout));
	if (o->file)
		run_init(&sh, o->file);
	if (sh.s.quit || (sh.s.stop && !isatty(fileno(stdin)))) {
		rc = sh.s.status;
	} else if (!isatty(fileno(stdin))) {  /* not a terminal: a script */
		session_script(&sh.s, stdin, "stdin");
		rc = sh.s.status;
	} else {
		sh.s.stop = sh.s.status = 0;  /* the shell goes on after errors in -f */
		make_prompts(&sh, c);
		sh.pager = pager_cmd();
		rc = interactive(&sh);
	}
	session_close(&sh.s);
	fflush(stdout);
	render_free(r);
	buf_free(&sh.stmt);
	free(sh.prompt);
	free(sh.cont);
	free(sh.pager);
	return rc;
}
