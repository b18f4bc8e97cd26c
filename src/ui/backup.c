/*
 * backup.c: `litecon backup` (in progress: see include/backup.h).
 */
#include "backup.h"

int backup_run(conn *c, const char *dest, const backup_opts *o, lc_err *e)
{
	(void)c, (void)dest, (void)o;
	return lc_err_set(e, LC_EUSAGE, "backups are not in this build yet");
}
