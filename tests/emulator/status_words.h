// The words servers use for a task's status. OpenAI says queued, in_progress, completed and
// failed; gateways say processing, succeeded, SUCCESS, failure and many more (DIALECTS.md, the
// "status" row), and a tolerant client must map them all.
#pragma once

#include "dialect_settings.h"
#include "task.h"

// The word for @video's status in the vocabulary @words. The "mixed" vocabulary changes word on
// every retrieval, so it needs the task's retrieval count.
const char *status_word(StatusWords words, const VideoView &video);
