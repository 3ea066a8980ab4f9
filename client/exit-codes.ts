/**
 * The CLI's exit codes, so a script (or a cron job around `import`) can tell the outcomes
 * apart. README "The CLI" lists them.
 */
export const EXIT = {
  /** Done: the import ran (or the command did what it was asked). */
  ok: 0,
  /** The import failed, or the command could not do its work. */
  failed: 1,
  /** A mistake in the command, its flags or the configuration; nothing was started. */
  usage: 2,
  /** The import was rejected or its approval request expired: nothing was written. */
  notApplied: 3,
  /** The import was cancelled (or terminated) before it finished; what was done stays done. */
  cancelled: 4,
} as const;
