/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/cache_directory.h"

#include "core/debug.h"

#include <glib/gstdio.h>

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#define GST_CAT_DEFAULT sora_debug

namespace sora {

namespace {

/* The directories above are only looked at: O_PATH needs no read
 * permission on them (a home directory may be 0711). */
#ifdef O_PATH
constexpr int kAncestorFlags = O_PATH | O_DIRECTORY | O_CLOEXEC;
#else
constexpr int kAncestorFlags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
#endif

constexpr mode_t kWritableByOthers = S_IWGRP | S_IWOTH;
constexpr char kConsequence[] =
    "Another local user could plant clips, records or links in it, so the cache is not used "
    "for this run (as cache-mode=off).";

std::string octal_mode(mode_t mode) {
  char text[8];
  g_snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

std::string uid_text(uid_t uid) {
  return "uid " + std::to_string(static_cast<unsigned long>(uid));
}

std::string not_safe(const std::string &dir, const std::string &why, const std::string &advice) {
  return "The cache directory " + dir + " is not safe: " + why + ". " + kConsequence + " " + advice;
}

/* What is wrong with the cache directory itself, or "". */
std::string cache_dir_problem(const std::string &dir, const struct stat &st, uid_t uid) {
  if (st.st_uid != uid)
    return not_safe(
        dir, "it is owned by " + uid_text(st.st_uid) + ", not by you (" + uid_text(uid) + ")",
        "Set cache-dir to a directory of your own (mode 700).");
  if (st.st_mode & kWritableByOthers)
    return not_safe(
        dir, "others may write in it (mode " + octal_mode(st.st_mode) + ")",
        "Make it yours alone (chmod 700 " + dir + ") or set cache-dir to a directory of your own.");
  return "";
}

bool same_file(const struct stat &a, const struct stat &b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* What is wrong with the directories above `fd` (whose stat is `dir_st`,
 * named by `resolved`), or "". Walked with "..", so that what is checked is
 * where the directory really is, whatever links its path went through; up
 * to the home directory included, as OpenSSH does (above it, in a
 * container or a Flatpak sandbox, root's directories show as owned by
 * nobody), else up to /. */
std::string ancestors_problem(const std::string &dir, int fd, const struct stat &dir_st,
                              const std::string &resolved, uid_t uid) {
  struct stat home;
  const bool have_home = stat(g_get_home_dir(), &home) == 0;
  struct stat child = dir_st;
  FileDescriptor parent;
  std::string name = resolved;
  for (int at = fd; !(have_home && same_file(child, home));) {
    FileDescriptor up(openat(at, "..", kAncestorFlags));
    struct stat st;
    const bool examined = up.valid() && fstat(up.get(), &st) == 0;
    const int error = errno;
    g_autofree char *up_name = g_path_get_dirname(name.c_str());
    name = up_name;
    if (!examined)
      return not_safe(
          dir, "the directory above it, " + name + ", cannot be examined: " + g_strerror(error),
          "Set cache-dir to a directory of your own.");
    if (same_file(st, child))
      return ""; /* / is its own parent */
    const std::string advice =
        "Set cache-dir to a directory of your own, inside directories "
        "only you and root can change (as your home directory).";
    if (st.st_uid != uid && st.st_uid != 0)
      return not_safe(dir, name + " above it is owned by " + uid_text(st.st_uid), advice);
    if ((st.st_mode & kWritableByOthers) && !(st.st_mode & S_ISVTX))
      return not_safe(dir,
                      name + " above it is writable by others and not sticky (mode " +
                          octal_mode(st.st_mode) + "), so it can be renamed or replaced",
                      advice);
    child = st;
    parent = std::move(up);
    at = parent.get();
  }
  return "";
}

}  // namespace

CacheDirectory CacheDirectory::open(const std::string &path, std::string *problem) {
  if (g_mkdir_with_parents(path.c_str(), 0700) != 0) {
    *problem = "Cannot create the cache directory " + path + ": " + g_strerror(errno) +
               "; the cache is not used for this run.";
    return {};
  }
  /* Resolved first, so that a link to the cache (one moved to another disk)
   * still works; the descriptor, not the name, is what is checked. */
  char *resolved = realpath(path.c_str(), nullptr);
  FileDescriptor dir(resolved ? ::open(resolved, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                              : -1);
  std::string resolved_path = resolved ? resolved : path;
  free(resolved);
  struct stat st;
  if (!dir.valid() || fstat(dir.get(), &st) != 0) {
    *problem = "Cannot open the cache directory " + path + ": " + g_strerror(errno) +
               "; the cache is not used for this run.";
    return {};
  }
  const uid_t uid = geteuid();
  *problem = cache_dir_problem(path, st, uid);
  if (problem->empty())
    *problem = ancestors_problem(path, dir.get(), st, resolved_path, uid);
  if (!problem->empty())
    return {};
  /* Records of older versions were 0644 in a 0755 directory: closing the
   * directory hides them all at once. */
  if (st.st_mode & 077) {
    if (fchmod(dir.get(), 0700) == 0)
      GST_INFO("cache directory %s was mode %s: now 0700", path.c_str(),
               octal_mode(st.st_mode).c_str());
    else
      GST_WARNING("cannot make the cache directory %s private: %s", path.c_str(),
                  g_strerror(errno));
  }
  return CacheDirectory(std::move(dir));
}

}  // namespace sora
