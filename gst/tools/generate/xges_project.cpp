/* gst-sora: text-to-video for GStreamer
 * Copyright (C) 2026 The gst-sora contributors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "xges_project.h"

#include <gio/gio.h>

namespace sora::generate {

namespace {

std::string escaped(const std::string &text) {
  g_autofree char *markup = g_markup_escape_text(text.c_str(), -1);
  return markup;
}

/* A GstStructure's text as an attribute value. */
std::string structure_text(GstStructure *s) {
  g_autofree char *text = gst_structure_to_string(s);
  gst_structure_free(s);
  return escaped(text);
}

std::string video_restriction(const ProjectFormat &format) {
  if (format.width <= 0 || format.height <= 0)
    return "";
  g_autoptr(GstCaps) caps = gst_caps_new_simple("video/x-raw", "width", G_TYPE_INT, format.width,
                                                "height", G_TYPE_INT, format.height, nullptr);
  if (format.fps_n > 0)
    gst_caps_set_simple(caps, "framerate", GST_TYPE_FRACTION, format.fps_n, format.fps_d, nullptr);
  g_autofree char *text = gst_caps_to_string(caps);
  return text;
}

std::string track(int id, int type, const char *caps, const std::string &restriction) {
  GstStructure *properties = gst_structure_new_empty("properties");
  if (!restriction.empty())
    gst_structure_set(properties, "restriction-caps", G_TYPE_STRING, restriction.c_str(), nullptr);
  return "      <track caps='" + std::string(caps) + "' track-type='" + std::to_string(type) +
         "' track-id='" + std::to_string(id) + "' properties='" + structure_text(properties) +
         "' metadatas='metadatas;'/>\n";
}

}  // namespace

std::string xges_project(const std::vector<ProjectClip> &clips, const ProjectFormat &format) {
  std::string assets, layer;
  GstClockTime start = 0;
  for (size_t i = 0; i < clips.size(); i++) {
    const ProjectClip &clip = clips[i];
    std::string id = escaped(clip.uri);
    if (assets.find("id='" + id + "'") == std::string::npos)
      assets += "      <asset id='" + id +
                "' extractable-type-name='GESUriClip' properties='properties;' "
                "metadatas='metadatas;'/>\n";
    /* track-types 6: audio and video, whichever the clip has. */
    layer += "        <clip id='" + std::to_string(i) + "' asset-id='" + id +
             "' type-name='GESUriClip' layer-priority='0' track-types='6' start='" +
             std::to_string(start) + "' duration='" + std::to_string(clip.duration) +
             "' inpoint='0' rate='0' properties='properties, name=(string)shot" +
             std::to_string(i + 1) + ";' metadatas='metadatas;'/>\n";
    start += clip.duration;
  }
  return "<ges version='0.7'>\n"
         "  <project properties='properties;' metadatas='metadatas, format-version=(string)0.7;'>\n"
         "    <ressources>\n" +
         assets +
         "    </ressources>\n"
         "    <timeline properties='properties, auto-transition=(boolean)false;' "
         "metadatas='metadatas, duration=(guint64)" +
         std::to_string(start) + ";'>\n" + track(0, 4, "video/x-raw(ANY)", video_restriction(format)) +
         track(1, 2, "audio/x-raw(ANY)", "") +
         "      <layer priority='0' properties='properties, auto-transition=(boolean)false;' "
         "metadatas='metadatas;'>\n" +
         layer +
         "      </layer>\n"
         "      <groups>\n"
         "      </groups>\n"
         "    </timeline>\n"
         "  </project>\n"
         "</ges>\n";
}

bool write_xges_project(const std::string &path, const std::vector<ProjectClip> &clips,
                        const ProjectFormat &format, std::string *problem) {
  std::string text = xges_project(clips, format);
  g_autoptr(GError) error = nullptr;
  if (!g_file_set_contents_full(path.c_str(), text.c_str(), static_cast<gssize>(text.size()),
                                G_FILE_SET_CONTENTS_CONSISTENT, 0644, &error)) {
    *problem = error->message;
    return false;
  }
  return true;
}

}  // namespace sora::generate
