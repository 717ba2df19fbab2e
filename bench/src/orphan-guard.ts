// Bench-only, preloaded into every child process the bench starts. When the bench dies without
// cleaning up (SIGKILL, an out-of-memory kill), its children are re-parented; each one notices
// and stops itself, so no API instance or relay keeps a port and a core busy after the run.
const parentPid = process.ppid;

const watch = setInterval(() => {
  if (process.ppid !== parentPid) process.kill(process.pid, 'SIGTERM');
}, 1_000);
watch.unref();
