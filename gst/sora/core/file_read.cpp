#include "file_read.h"

#include <unistd.h>

#include <cerrno>

namespace sora {

gssize read_at(int fd, void *data, gsize size, guint64 offset) {
  auto *bytes = static_cast<guint8 *>(data);
  gsize got = 0;
  while (got < size) {
    ssize_t n = pread(fd, bytes + got, size - got, static_cast<off_t>(offset + got));
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return -1;
    if (n == 0)
      break;
    got += static_cast<gsize>(n);
  }
  return static_cast<gssize>(got);
}

}  // namespace sora
