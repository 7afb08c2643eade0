/* Reading a local file at an offset, whole: pread() until `size` bytes, the
 * end of the file or an error. Plain POSIX, no GIO: the cache checks and the
 * element's serving path run it on every hit and every buffer. */
#pragma once

#include <glib.h>

namespace sora {

/* The number of bytes read (fewer than `size` only at the end of the file),
 * or -1 on an error, with errno set. */
gssize read_at(int fd, void *data, gsize size, guint64 offset);

}  // namespace sora
