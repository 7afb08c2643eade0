// The video object a server sends for a task, shaped by the dialect: its status words, progress
// format, id type, download URL field, failure fields and early completed_at.
#pragma once

#include "dialect_settings.h"
#include "glib_ptr.h"
#include "task.h"

#include <string>

JsonNodePtr video_json(const VideoView &video, const DialectSettings &settings);

// Sets an id member: a JSON number for numeric ids, else a string.
void json_set_video_id(JsonObject *object, const char *name, const std::string &id, IdStyle style);
