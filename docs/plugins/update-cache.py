#!/usr/bin/python3
# gst-sora: text-to-video for GStreamer
# Copyright (C) 2026 The gst-sora contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Writes docs/plugins/gst_plugins_cache.json from the built plugin.

GStreamer's documentation build (hotdoc) reads a plugin's elements from this
cache; upstream makes it with gst-hotdoc-plugins-scanner, which Debian does not
ship. This introspects the plugin the way that scanner does and writes the
file as GStreamer's cache generator does (sorted keys, 4-space indent), so the
file has the same fields and values:

    /usr/bin/python3 docs/plugins/update-cache.py build/gst/sora/libgstsora.so

A property's default is the value an element reads back, except for
properties flagged GST_PARAM_DOC_SHOW_DEFAULT or not readable, whose
declared default is shown: so nothing of this machine's environment gets in.
"""

import json
import os
import re
import sys

import gi

gi.require_version("Gst", "1.0")
from gi.repository import GObject, Gst  # noqa: E402
from gi._gi import enum_add, flags_add  # noqa: E402  (a GType's values, as the C API gives them)

CACHE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gst_plugins_cache.json")


def c_int(value, bits):
    """`value` as C's printf %d of a `bits`-bit integer shows it (the scanner
    prints guint with %d, so G_MAXUINT is "-1")."""
    value &= (1 << bits) - 1
    return value - (1 << bits) if value >= 1 << (bits - 1) else value


def enum_values(gtype):
    """(value, name, nick) of an enum type, in declaration order."""
    return [(int(v), v.value_name, v.value_nick) for v in enum_add(gtype).__enum_values__.values()]


def flags_values(gtype):
    """(value, name, nick) of a flags type, in declaration order."""
    return [(int(v), v.value_names[0], v.value_nicks[0])
            for v in flags_add(gtype).__flags_values__.values() if v.value_names]


def other_type(gtype, seen, other_types):
    """Adds an enum or flags type marked as plugin API to `other-types`."""
    name = gtype.name
    if name in seen:
        return
    is_api, api_flags = Gst.type_is_plugin_api(gtype)
    if not is_api:
        return
    seen.add(name)
    if gtype.is_a(GObject.TYPE_ENUM):
        if api_flags & Gst.PluginAPIFlags.MEMBERS:  # GST_PLUGIN_API_FLAG_IGNORE_ENUM_MEMBERS
            other_types[name] = {"ignore-enum-members": True, "kind": "enum"}
            return
        other_types[name] = {
            "kind": "enum",
            "values": [{"desc": n, "name": nick, "value": str(v)}
                       for v, n, nick in enum_values(gtype)],
        }
    elif gtype.is_a(GObject.TYPE_FLAGS):
        other_types[name] = {
            "kind": "flags",
            "values": [{"desc": n, "name": nick, "value": "0x%08x" % v}
                       for v, n, nick in flags_values(gtype)],
        }


def enum_default(gtype, value):
    value = int(value)
    nick = next((n for v, _, n in enum_values(gtype) if v == value), "")
    return "%s (%d)" % (nick, value)


def flags_default(gtype, value):
    value = int(value)
    values = flags_values(gtype)
    exact = next((nick for v, _, nick in values if v == value), None)
    if exact is not None:
        return exact
    left, names = value, []
    for v, _, nick in reversed(values):
        if v and left & v == v:
            names.append(nick)
            left -= v
            if not left:
                break
    return "+".join(names) or "(none)"


def describe_property(element, spec, seen, other_types):
    flags = int(spec.flags)
    readable = bool(flags & GObject.ParamFlags.READABLE)
    if flags & Gst.PARAM_MUTABLE_PLAYING:
        mutable = "playing"
    elif flags & Gst.PARAM_MUTABLE_PAUSED:
        mutable = "paused"
    elif flags & Gst.PARAM_MUTABLE_READY:
        mutable = "ready"
    else:
        mutable = "null"
    vtype = spec.value_type
    out = {
        "blurb": spec.blurb,
        "conditionally-available": bool(flags & Gst.PARAM_CONDITIONALLY_AVAILABLE),
        "construct": bool(flags & GObject.ParamFlags.CONSTRUCT),
        "construct-only": bool(flags & GObject.ParamFlags.CONSTRUCT_ONLY),
        "controllable": bool(flags & Gst.PARAM_CONTROLLABLE),
        "mutable": mutable,
        "readable": readable,
        "type": vtype.name,
        "writable": bool(flags & GObject.ParamFlags.WRITABLE),
    }
    other_type(vtype, seen, other_types)

    fundamental = vtype.fundamental
    serialized = (GObject.TYPE_STRING, GObject.TYPE_BOOLEAN, GObject.TYPE_UINT, GObject.TYPE_INT,
                  GObject.TYPE_UINT64, GObject.TYPE_ULONG, GObject.TYPE_INT64, GObject.TYPE_LONG,
                  GObject.TYPE_FLOAT, GObject.TYPE_DOUBLE, GObject.TYPE_ENUM, GObject.TYPE_FLAGS)
    if fundamental not in serialized and vtype not in (Gst.Caps.__gtype__,
                                                       Gst.Structure.__gtype__):
        return out  # no default, as the scanner (arrays, objects...)
    if readable and not flags & Gst.PARAM_DOC_SHOW_DEFAULT:
        value = element.get_property(spec.name)
    else:
        value = spec.default_value
    if vtype == GObject.TYPE_STRING:
        out["default"] = "NULL" if value is None else value
    elif vtype == GObject.TYPE_BOOLEAN:
        out["default"] = "true" if value else "false"
    elif fundamental in (GObject.TYPE_UINT, GObject.TYPE_INT):
        out["default"] = str(c_int(value, 32))
        out["min"] = str(c_int(spec.minimum, 32))
        out["max"] = str(c_int(spec.maximum, 32))
    elif fundamental in (GObject.TYPE_UINT64, GObject.TYPE_ULONG):
        out["default"] = str(value)
        out["min"] = str(spec.minimum)
        out["max"] = str(spec.maximum)
    elif fundamental == GObject.TYPE_LONG:
        out["default"] = str(value)
        out["min"] = str(spec.minimum)
        out["max"] = str(spec.maximum)
    elif fundamental == GObject.TYPE_INT64:
        out["default"] = str(value & (2**64 - 1))  # the scanner prints it unsigned
        out["min"] = str(spec.minimum)
        out["max"] = str(spec.maximum)
    elif fundamental in (GObject.TYPE_FLOAT, GObject.TYPE_DOUBLE):
        out["default"] = "%g" % value
        out["min"] = "%g" % spec.minimum
        out["max"] = "%g" % spec.maximum
    elif fundamental == GObject.TYPE_ENUM:
        out["default"] = enum_default(vtype, value)
    elif fundamental == GObject.TYPE_FLAGS:
        out["default"] = flags_default(vtype, value)
    elif vtype == Gst.Caps.__gtype__ and value is not None:
        out["default"] = value.to_string()
    elif vtype == Gst.Structure.__gtype__ and value is not None:
        out["default"] = value.to_string()
    return out


def caps_text(caps):
    """A pad template's caps as the scanner writes them: each structure's name,
    then one "%15s: value" line per field."""
    if caps.is_any():
        return "ANY"
    if caps.is_empty():
        return "EMPTY"
    text = ""
    for i in range(caps.get_size()):
        structure = caps.get_structure(i)
        features = caps.get_features(i)
        if features and (features.is_any() or not features.is_equal(
                Gst.CapsFeatures.new_single(Gst.CAPS_FEATURE_MEMORY_SYSTEM_MEMORY))):
            text += "%s%s(%s):\n" % ("\n" if i else "", structure.get_name(), features.to_string())
        else:
            text += "%s:\n" % structure.get_name()
        # Each field serialised alone, as gst_value_serialize writes it.
        for n in range(structure.n_fields()):
            field = structure.nth_field_name(n)
            alone = Gst.Structure.new_empty("x")
            alone.set_value(field, structure.get_value(field))
            serialized = alone.to_string()[len("x, %s=" % field):].rstrip(";")
            if field in ("format", "rate"):
                serialized = re.sub(r"\(string\)|\(rate\)", "", serialized)
            else:
                serialized = re.sub(r"^\([a-z]+\)", "", serialized)
            text += "%15s: %s\n" % (field, serialized)
    return text


def rank_name(rank):
    ranks = [(Gst.Rank.NONE, "none"), (Gst.Rank.MARGINAL, "marginal"),
             (Gst.Rank.SECONDARY, "secondary"), (Gst.Rank.PRIMARY, "primary")]
    best = min(ranks, key=lambda r: abs(rank - int(r[0])))
    if rank == int(best[0]):
        return best[1]
    return "%s %c %d" % (best[1], "+" if rank > int(best[0]) else "-", abs(int(best[0]) - rank))


def signal_args(query):
    return [{"name": "arg%u" % i, "type": t.name} for i, t in enumerate(query.param_types)]


def describe_element(factory, seen, other_types):
    element = factory.create(None)
    if element is None:
        sys.exit("could not make %s" % factory.get_name())
    gtype = element.__gtype__
    out = {key: factory.get_metadata(key) for key in factory.get_metadata_keys()}
    out["rank"] = rank_name(factory.get_rank())

    hierarchy, t = [], gtype
    while True:
        hierarchy.append(t.name)
        if t == GObject.TYPE_OBJECT:
            break
        t = t.parent
    out["hierarchy"] = hierarchy
    interfaces = [i.name for i in GObject.type_interfaces(gtype)]
    if interfaces:
        out["interfaces"] = interfaces

    properties = {}
    for spec in GObject.list_properties(gtype):
        if spec.owner_type == gtype:
            properties[spec.name] = describe_property(element, spec, seen, other_types)
    if properties:
        out["properties"] = properties

    signals = {}
    for signal_id in GObject.signal_list_ids(gtype):
        query = GObject.signal_query(signal_id)
        flags = int(query.signal_flags)
        entry = {"args": signal_args(query), "return-type": query.return_type.name}
        for t in list(query.param_types) + [query.return_type]:
            other_type(t, seen, other_types)
        for flag, when in ((GObject.SignalFlags.RUN_FIRST, "first"),
                           (GObject.SignalFlags.RUN_LAST, "last"),
                           (GObject.SignalFlags.RUN_CLEANUP, "cleanup")):
            if flags & flag:
                entry["when"] = when
                break
        for flag, key in ((GObject.SignalFlags.NO_RECURSE, "no-recurse"),
                          (GObject.SignalFlags.DETAILED, "detailed"),
                          (GObject.SignalFlags.ACTION, "action"),
                          (GObject.SignalFlags.NO_HOOKS, "no-hooks")):
            if flags & flag:
                entry[key] = True
        signals[query.signal_name] = entry
    if signals:
        out["signals"] = signals

    templates = {}
    for static in factory.get_static_pad_templates():
        template = element.get_pad_template(static.name_template)
        templates[static.name_template] = {
            "caps": caps_text(template.get_documentation_caps()),
            "direction": {Gst.PadDirection.SRC: "src",
                          Gst.PadDirection.SINK: "sink"}.get(static.direction, "unknown"),
            "presence": {Gst.PadPresence.ALWAYS: "always", Gst.PadPresence.SOMETIMES: "sometimes",
                         Gst.PadPresence.REQUEST: "request"}.get(static.presence, "unknown"),
        }
    if templates:
        out["pad-templates"] = templates
    element.set_state(Gst.State.NULL)
    return out


def describe_plugin(path):
    plugin = Gst.Plugin.load_file(path)
    seen, other_types = set(), {}
    features = Gst.Registry.get().get_feature_list_by_plugin(plugin.get_name())
    elements = {}
    for feature in sorted(features, key=lambda f: f.get_name()):
        if isinstance(feature, Gst.ElementFactory) and not feature.get_skip_documentation():
            elements[feature.get_name()] = describe_element(feature, seen, other_types)
    tracers = {f.get_name(): {} for f in features if isinstance(f, Gst.TracerFactory)}
    filename = os.path.basename(path).split(".", 1)[0]
    if filename.startswith("lib"):
        filename = filename[3:]
    return {
        plugin.get_name(): {
            "description": plugin.get_description(),
            "elements": elements,
            "filename": filename,
            "license": plugin.get_license(),
            "other-types": other_types,
            # As GStreamer's cache generator keeps it: without a build's suffix.
            "package": re.sub(" git$| source release$| prerelease$", "", plugin.get_package()),
            "source": plugin.get_source(),
            "tracers": tracers,
            "url": plugin.get_origin(),
        }
    }


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: update-cache.py PLUGIN.so [OUTPUT]  (OUTPUT: %s)" % CACHE)
    Gst.init(None)
    cache = describe_plugin(os.path.abspath(sys.argv[1]))
    with open(sys.argv[2] if len(sys.argv) == 3 else CACHE, "w", encoding="utf-8",
              newline="\n") as f:
        json.dump(cache, f, indent=4, sort_keys=True, ensure_ascii=False)


if __name__ == "__main__":
    main()
