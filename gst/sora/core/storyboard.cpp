/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "core/storyboard.h"

#include <glib.h>

#include <cmath>
#include <cstring>

namespace sora {

namespace {

/* A line "Keyword: rest", keyword case-insensitive; returns rest. */
std::optional<std::string> keyword_line(const std::string &line, const char *keyword) {
  g_autofree char *s = g_strstrip(g_strdup(line.c_str()));
  size_t len = strlen(keyword);
  if (g_ascii_strncasecmp(s, keyword, len) != 0)
    return std::nullopt;
  const char *p = s + len;
  while (*p == ' ')
    p++;
  if (*p != ':')
    return std::nullopt;
  g_autofree char *rest = g_strstrip(g_strdup(p + 1));
  return std::string(rest);
}

/* "Shot 12:" -> 12. */
std::optional<unsigned> shot_line(const std::string &line, std::string *after) {
  g_autofree char *s = g_strstrip(g_strdup(line.c_str()));
  if (g_ascii_strncasecmp(s, "shot", 4) != 0 || !g_ascii_isspace(s[4]))
    return std::nullopt;
  char *p = s + 4;
  while (g_ascii_isspace(*p))
    p++;
  char *end = nullptr;
  guint64 number = g_ascii_strtoull(p, &end, 10);
  if (end == p)
    return std::nullopt;
  while (g_ascii_isspace(*end))
    end++;
  if (*end != ':')
    return std::nullopt;
  *after = g_strstrip(end + 1);
  return static_cast<unsigned>(number);
}

/* "7.5sec", "7.5 s", "8 seconds", "4" -> seconds. */
std::optional<double> parse_duration(const std::string &text) {
  const char *s = text.c_str();
  char *end = nullptr;
  double value = g_ascii_strtod(s, &end);
  if (end == s || !std::isfinite(value) || value <= 0)
    return std::nullopt;
  while (g_ascii_isspace(*end))
    end++;
  for (const char *unit : {"", "s", "sec", "secs", "second", "seconds"}) {
    if (g_ascii_strcasecmp(end, unit) == 0)
      return value;
  }
  return std::nullopt;
}

std::string format_seconds(double seconds) {
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_formatd(buf, sizeof buf, "%g", seconds);
  return buf;
}

struct ShotDraft {
  Shot shot;
  bool has_duration = false;
  bool has_scene = false;
};

bool finish_shot(const ShotDraft &draft, std::string *problem) {
  std::string name = "Shot " + std::to_string(draft.shot.number);
  if (!draft.has_duration) {
    *problem = name + " has no 'duration: Xsec' line.";
    return false;
  }
  if (!draft.has_scene || draft.shot.scene.empty()) {
    *problem = name + " has no scene: add a 'Scene: ...' line that describes it.";
    return false;
  }
  return true;
}

}  // namespace

bool looks_like_storyboard(const std::string &prompt) {
  g_auto(GStrv) lines = g_strsplit(prompt.c_str(), "\n", -1);
  std::string after;
  for (char **line = lines; *line; line++) {
    if (shot_line(*line, &after))
      return true;
  }
  return false;
}

std::optional<Storyboard> parse_storyboard(const std::string &prompt, std::string *problem) {
  Storyboard board;
  std::optional<ShotDraft> current;
  g_auto(GStrv) lines = g_strsplit(prompt.c_str(), "\n", -1);
  for (char **line = lines; *line; line++) {
    std::string text = *line;
    std::string after;
    if (std::optional<unsigned> number = shot_line(text, &after)) {
      if (current && !finish_shot(*current, problem))
        return std::nullopt;
      if (current)
        board.shots.push_back(current->shot);
      unsigned expected = static_cast<unsigned>(board.shots.size()) + 1;
      if (*number != expected) {
        *problem = "Shot " + std::to_string(*number) + " comes where Shot " +
                   std::to_string(expected) + " should: number the shots 1, 2, 3, ... in order.";
        return std::nullopt;
      }
      current = ShotDraft{};
      current->shot.number = *number;
      if (!after.empty()) {
        *problem = "Shot " + std::to_string(*number) +
                   ": put the duration and the scene on their own lines after 'Shot " +
                   std::to_string(*number) + ":'.";
        return std::nullopt;
      }
      continue;
    }
    g_autofree char *stripped = g_strstrip(g_strdup(text.c_str()));
    if (!*stripped)
      continue;
    if (!current) {
      *problem = "The storyboard has text before 'Shot 1:': \"" + std::string(stripped) + "\".";
      return std::nullopt;
    }
    std::string name = "Shot " + std::to_string(current->shot.number);
    if (std::optional<std::string> value = keyword_line(text, "duration")) {
      std::optional<double> seconds = parse_duration(*value);
      if (!seconds) {
        *problem = name + ": 'duration: " + *value +
                   "' is not a duration; write it like 'duration: 7.5sec'.";
        return std::nullopt;
      }
      if (current->has_duration) {
        *problem = name + " has two duration lines.";
        return std::nullopt;
      }
      current->shot.seconds = *seconds;
      current->has_duration = true;
    } else if (std::optional<std::string> scene = keyword_line(text, "scene")) {
      current->shot.scene = *scene;
      current->has_scene = true;
    } else if (current->has_scene) {
      current->shot.scene += " " + std::string(stripped); /* a scene over several lines */
    } else {
      *problem = name + ": \"" + std::string(stripped) +
                 "\" is neither a 'duration:' nor a 'Scene:' line.";
      return std::nullopt;
    }
  }
  if (current && !finish_shot(*current, problem))
    return std::nullopt;
  if (current)
    board.shots.push_back(current->shot);
  for (const Shot &shot : board.shots)
    board.total_seconds += shot.seconds;
  return board;
}

std::string describe_storyboard_total(const Storyboard &board) {
  std::string sum;
  for (const Shot &shot : board.shots)
    sum += (sum.empty() ? "" : " + ") + format_seconds(shot.seconds);
  return format_seconds(board.total_seconds) + " s (" + sum + ")";
}

}  // namespace sora
