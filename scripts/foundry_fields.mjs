// Walk the dnd5e system's data models and print every stored field path as JSON.
//
// Usage: node scripts/foundry_fields.mjs DND5E_DIR
//   DND5E_DIR holds an extracted release of foundryvtt/dnd5e (its `module/` folder).
//   Run through scripts/foundry_fields.py, which extracts the release, adds Foundry core's
//   document fields and writes tests/data/foundry/dnd5e-<version>-fields.json.
//
// How: Foundry core is not here, so this script defines minimal stand-ins for the
// `foundry.data.fields` classes and `foundry.abstract.DataModel` that only record what a schema
// is made of, then imports dnd5e's own modules unchanged and calls their `defineSchema()`.
// Everything else dnd5e touches while its modules load (applications, canvas, `game`, `Hooks`)
// is an inert stand-in. What a field stores is read from its class:
//   SchemaField / EmbeddedDataField  -> named children            (a.b)
//   ArrayField / SetField            -> one element schema        (a[])
//   TypedObjectField / MappingField  -> free keys, one schema     (a.*)
//   ObjectField / AnyField / flags   -> free-form: listed as "open"
//   ActivityField / AdvancementField -> one schema per `type`     ("activity.<type>", "advancement.<type>")
// Derived values computed in prepareData are not fields, so they never appear.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const ROOT = process.argv[2];
if ( !ROOT ) {
  process.stderr.write("usage: node foundry_fields.mjs DND5E_DIR\n");
  process.exit(2);
}

/* ------------------------------------------------------------------ */
/*  Inert stand-ins for whatever Foundry provides at runtime           */
/* ------------------------------------------------------------------ */

/** A callable, constructible, extensible object whose every property is another stand-in. */
function inert(name) {
  const cache = new Map();
  const target = function() {};
  return new Proxy(target, {
    get(t, prop) {
      if ( prop === "prototype" ) return t.prototype;
      if ( prop === Symbol.toPrimitive ) return () => `[${name}]`;
      if ( prop === Symbol.iterator ) return function*() {};
      if ( typeof prop === "symbol" ) return t[prop];
      if ( !cache.has(prop) ) cache.set(prop, inert(`${name}.${prop}`));
      return cache.get(prop);
    },
    set(t, prop, value) {
      cache.set(prop, value);
      return true;
    },
    apply: () => inert(`${name}()`),
    construct: () => inert(`new ${name}`)
  });
}

/** An object whose named members are real and whose other members are inert stand-ins. */
function partly(name, members) {
  return new Proxy(members, {
    get(t, prop) {
      if ( typeof prop === "symbol" || prop in t ) return t[prop];
      t[prop] = inert(`${name}.${prop}`);
      return t[prop];
    }
  });
}

function isPlainObject(v) {
  return (v !== null) && (typeof v === "object") && (Object.getPrototypeOf(v) === Object.prototype);
}

function deepClone(v) {
  if ( Array.isArray(v) ) return v.map(deepClone);
  if ( isPlainObject(v) ) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deepClone(x)]));
  return v;
}

function mergeObject(original, other={}, { insertKeys=true, overwrite=true, recursive=true, inplace=true }={}) {
  if ( (typeof original !== "object") || (original === null) ) original = {};
  const target = inplace ? original : deepClone(original);
  for ( const [k, v] of Object.entries(other ?? {}) ) {
    const exists = k in target;
    if ( exists && recursive && isPlainObject(target[k]) && isPlainObject(v) ) {
      mergeObject(target[k], v, { insertKeys, overwrite, recursive, inplace: true });
    } else if ( (!exists && insertKeys) || (exists && overwrite) ) target[k] = v;
  }
  return target;
}

const utils = {
  mergeObject,
  deepClone,
  duplicate: v => JSON.parse(JSON.stringify(v)),
  isEmpty: v => !v || (typeof v === "object" && Object.keys(v).length === 0),
  isSubclass: (cls, parent) => (cls === parent) || (cls?.prototype instanceof parent),
  getType: v => (v === null ? "null" : Array.isArray(v) ? "Array" : typeof v === "object" ? "Object" : typeof v),
  randomID: () => "0000000000000000",
  logCompatibilityWarning: () => {},
  isDeletionKey: k => k.startsWith("-=")
};

const SOURCE_FRAME = new RegExp(`${pathToFileURL(ROOT).href.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/(module/[^:]+\\.mjs):`, "g");

/* ------------------------------------------------------------------ */
/*  Field classes: Foundry core v13's hierarchy, recording structure   */
/* ------------------------------------------------------------------ */

class DataField {
  constructor(options={}, { name, parent }={}) {
    recordCaller();
    this.options = options;
    const defaults = this.constructor._defaults;
    for ( const k of Object.keys(defaults) ) this[k] = (k in options) ? options[k] : defaults[k];
    this.name = name;
    this.parent = parent;
  }

  static get _defaults() {
    return { required: false, nullable: false, initial: undefined, readonly: false, gmOnly: false,
      label: "", hint: "", validationError: "is not a valid value" };
  }

  static recursive = false;
  static hasFormSupport = false;
  _getField() { return this; }
}

class SchemaField extends DataField {
  constructor(fields={}, options={}, context={}) {
    super(options, context);
    this.fields = {};
    for ( const [name, field] of Object.entries(fields) ) {
      if ( !(field instanceof DataField) ) throw new Error(`${name} is not a DataField`);
      field.name = name;
      field.parent = this;
      this.fields[name] = field;
    }
  }

  static get _defaults() { return mergeObject(super._defaults, { required: true, nullable: false }); }
  keys() { return Object.keys(this.fields); }
  values() { return Object.values(this.fields); }
  entries() { return Object.entries(this.fields); }
  get(name) { return this.fields[name]; }
  has(name) { return name in this.fields; }
  *[Symbol.iterator]() { yield* Object.values(this.fields); }
}

class EmbeddedDataField extends SchemaField {
  constructor(model, options={}, context={}) {
    if ( !utils.isSubclass(model, DataModel) ) throw new Error("EmbeddedDataField needs a DataModel");
    super(model.defineSchema(), options, context);
    this.model = model;
  }
}

class EmbeddedDocumentField extends EmbeddedDataField {}

class ElementField extends DataField {
  constructor(element, options={}, context={}) {
    super(options, context);
    this.element = element;
    if ( element instanceof DataField ) element.parent = this;
  }
}

class ArrayField extends ElementField {}
class SetField extends ArrayField {}
class EmbeddedCollectionField extends ArrayField {}
class EmbeddedCollectionDeltaField extends EmbeddedCollectionField {}

class ObjectField extends DataField {}
class TypedObjectField extends ObjectField {
  constructor(element, options={}, context={}) {
    super(options, context);
    if ( !(element instanceof DataField) ) throw new Error("TypedObjectField needs a DataField element");
    this.element = element;
    element.parent = this;
  }
}
class DocumentFlagsField extends TypedObjectField {
  constructor(options={}, context={}) { super(new ObjectField(), options, context); }
}
class TypeDataField extends ObjectField {}
class DocumentOwnershipField extends ObjectField {}
class AnyField extends DataField {}

class TypedSchemaField extends DataField {
  constructor(types, options={}, context={}) {
    super(options, context);
    this.types = Object.fromEntries(Object.entries(types).map(([type, schema]) => {
      if ( utils.isSubclass(schema, DataModel) ) return [type, new EmbeddedDataField(schema)];
      if ( schema instanceof SchemaField ) return [type, schema];
      return [type, new SchemaField(schema)];
    }));
  }
}

class BooleanField extends DataField {}
class NumberField extends DataField {}
class IntegerSortField extends NumberField {}
class AngleField extends NumberField {}
class AlphaField extends NumberField {}
class HueField extends NumberField {}
class StringField extends DataField {
  static get _defaults() { return mergeObject(super._defaults, { blank: true, trim: true, choices: undefined }); }
}
class DocumentIdField extends StringField {}
class ForeignDocumentField extends DocumentIdField {
  constructor(model, options={}, context={}) { super(options, context); this.model = model; }
}
class DocumentAuthorField extends ForeignDocumentField {}
class DocumentUUIDField extends StringField {}
class DocumentTypeField extends StringField {
  constructor(documentClass, options={}, context={}) { super(options, context); }
}
class ColorField extends StringField {}
class FilePathField extends StringField {}
class HTMLField extends StringField {}
class JSONField extends StringField {}
class JavaScriptField extends StringField {}
class DocumentStatsField extends SchemaField {}
class ShaderUniformField extends DataField {}

const FIELD_CLASSES = {
  DataField, SchemaField, EmbeddedDataField, EmbeddedDocumentField, ArrayField, SetField,
  EmbeddedCollectionField, EmbeddedCollectionDeltaField, ObjectField, TypedObjectField, DocumentFlagsField,
  TypeDataField, DocumentOwnershipField, AnyField, TypedSchemaField, BooleanField, NumberField,
  IntegerSortField, AngleField, AlphaField, HueField, StringField, DocumentIdField, ForeignDocumentField,
  DocumentAuthorField, DocumentUUIDField, DocumentTypeField, ColorField, FilePathField, HTMLField, JSONField,
  JavaScriptField, DocumentStatsField, ShaderUniformField
};

/* A field class dnd5e asks for and we lack must stop the run, not be silently replaced. */
const fields = new Proxy(FIELD_CLASSES, {
  get(t, prop) {
    if ( typeof prop === "symbol" || prop in t ) return t[prop];
    throw new Error(`foundry.data.fields.${String(prop)} has no stand-in; add it to foundry_fields.mjs`);
  }
});

class DataModel {
  constructor() { throw new Error("data models are not instantiated by this script"); }
  static defineSchema() { return {}; }
  static get schema() {
    if ( Object.hasOwn(this, "_schema") ) return this._schema;
    const schema = new SchemaField(Object.freeze(this.defineSchema()));
    Object.defineProperty(this, "_schema", { value: schema, writable: false });
    return schema;
  }
  static cleanData(source) { return source; }
  static migrateData(source) { return source; }
  static migrateDataSafe(source) { return source; }
  static shimData(data) { return data; }
  static LOCALIZATION_PREFIXES = [];
}
class TypeDataModel extends DataModel {}

/** Foundry's document classes: referenced by fields (LocalDocumentField(BaseItem)), never walked. */
const documents = new Proxy({}, {
  get(t, prop) {
    if ( typeof prop === "symbol" ) return undefined;
    if ( !(prop in t) ) {
      const name = String(prop).replace(/^Base/, "");
      const collection = `${name.charAt(0).toLowerCase()}${name.slice(1)}s`;
      t[prop] = class extends DataModel {
        static metadata = Object.freeze({ name, collection });
      };
    }
    return t[prop];
  }
});

globalThis.foundry = partly("foundry", {
  data: partly("foundry.data", { fields, validators: partly("foundry.data.validators", {
    isValidId: id => /^[a-zA-Z0-9]{16}$/.test(id)
  }) }),
  abstract: partly("foundry.abstract", { DataModel, TypeDataModel }),
  documents,
  utils: partly("foundry.utils", utils)
});
for ( const name of ["CONFIG", "game", "Hooks", "ui", "canvas", "CONST", "Actor", "Item", "ActiveEffect",
  "ChatMessage", "Roll", "Token", "TokenDocument", "Dialog", "Application", "FormApplication",
  "DocumentSheet", "Handlebars", "TextEditor", "PIXI", "dnd5e", "Macro", "Folder", "Scene", "User",
  "JournalEntry", "JournalEntryPage", "RollTable", "Combat", "Combatant", "Color"] ) {
  globalThis[name] ??= inert(name);
}
globalThis.Collection ??= class Collection extends Map {};
globalThis.CONFIG = partly("CONFIG", {});
Array.fromRange ??= (n, min=0) => Array.from({ length: n }, (_, i) => i + min);
String.prototype.capitalize ??= function() { return this.charAt(0).toUpperCase() + this.slice(1); };
Math.clamp ??= (v, lo, hi) => Math.min(Math.max(v, lo), hi);

/* ------------------------------------------------------------------ */
/*  Loading dnd5e                                                      */
/* ------------------------------------------------------------------ */

const load = path => import(pathToFileURL(join(ROOT, path)).href);

const config = (await load("module/config.mjs")).default;
globalThis.CONFIG.DND5E = config;

const actorModels = { character: (await load("module/data/actor/character.mjs")).default };
const itemDir = "module/data/item";
const itemModels = {};
for ( const file of readdirSync(join(ROOT, itemDir)).sort() ) {
  if ( !file.endsWith(".mjs") || file.startsWith("_") ) continue;
  itemModels[file.replace(/\.mjs$/, "")] = (await load(`${itemDir}/${file}`)).default;
}
const { ActivityField } = await load("module/data/fields/activities-field.mjs");
const AdvancementField = (await load("module/data/fields/advancement-field.mjs")).default;
const AdvancementDataField = (await load("module/data/fields/advancement-data-field.mjs")).default;
const { ScaleValueEntryField, TYPES: scaleValueTypes } = await load("module/data/advancement/scale-value.mjs");

/* ------------------------------------------------------------------ */
/*  Walking schemas                                                    */
/* ------------------------------------------------------------------ */

// The dnd5e files read: config.mjs, the models, and every file whose code built a field that was walked.
const sources = new Set(["module/config.mjs", "module/data/actor/character.mjs",
  ...Object.keys(itemModels).map(type => `${itemDir}/${type}.mjs`)]);
let recording = false;

/** Add the dnd5e files on the current call stack to `sources`. */
function recordCaller() {
  if ( !recording ) return;
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = Infinity;
  const stack = new Error().stack;
  Error.stackTraceLimit = limit;
  for ( const [, file] of stack.matchAll(SOURCE_FRAME) ) sources.add(file);
}

/** The path of `key` ("[]": a list element, "*": a free key) under `path`. */
function childPath(path, key) {
  if ( key === "[]" ) return `${path}[]`;
  return path ? `${path}.${key}` : key;
}

/** Record `field` at `path` and everything below it into `out` ({paths, open, dispatch}). */
function walk(field, path, out) {
  out.paths.add(path);
  if ( field instanceof ActivityField ) {
    out.dispatch[path] = "activity";
  } else if ( field instanceof AdvancementField ) {
    out.dispatch[path] = "advancement";
  } else if ( field instanceof AdvancementDataField ) {  // an advancement's configuration or value
    const model = field.getModel();
    if ( model ) walkModel(model, path, out);
    else out.open.add(path);
  } else if ( field instanceof ScaleValueEntryField ) {
    for ( const model of Object.values(scaleValueTypes) ) walkModel(model, path, out);
  } else if ( field instanceof SchemaField ) {  // EmbeddedDataField too: its model's schema
    for ( const [key, child] of Object.entries(field.fields) ) walk(child, childPath(path, key), out);
  } else if ( field instanceof TypedSchemaField ) {
    for ( const schema of Object.values(field.types) ) {
      for ( const [key, child] of Object.entries(schema.fields) ) walk(child, childPath(path, key), out);
    }
  } else if ( field instanceof TypedObjectField ) {
    walk(field.element, childPath(path, "*"), out);
  } else if ( field instanceof ArrayField ) {
    if ( field.element instanceof DataField ) walk(field.element, childPath(path, "[]"), out);
    else out.open.add(childPath(path, "[]"));
  } else if ( (field instanceof ObjectField) || (field instanceof AnyField) ) {
    out.open.add(path);
  }
}

function walkModel(model, path, out) {
  const schema = new SchemaField(model.defineSchema());  // names each field, as DataModel.schema does
  for ( const [key, field] of Object.entries(schema.fields) ) walk(field, childPath(path, key), out);
}

function describe(model, prefix) {
  const out = { paths: new Set(), open: new Set(), dispatch: {} };
  walkModel(model, prefix, out);
  out.paths.delete(prefix);
  return {
    paths: [...out.paths].sort(),
    open: [...out.open].sort(),
    dispatch: out.dispatch
  };
}

const result = {};
recording = true;
for ( const [type, model] of Object.entries(actorModels) ) result[`actor.${type}`] = describe(model, "system");
for ( const [type, model] of Object.entries(itemModels) ) result[`item.${type}`] = describe(model, "system");
for ( const [type, { documentClass }] of Object.entries(config.activityTypes) ) {
  if ( documentClass.metadata.type !== type ) throw new Error(`activity ${type} is ${documentClass.metadata.type}`);
  result[`activity.${type}`] = describe(documentClass, "");
}
for ( const [type, entry] of Object.entries(config.advancementTypes) ) {
  const documentClass = entry.documentClass ?? entry;
  if ( documentClass.typeName !== type ) throw new Error(`advancement ${type} is ${documentClass.typeName}`);
  result[`advancement.${type}`] = describe(documentClass, "");
}

recording = false;

/* The document classes that name each activity and advancement type. */
const typeClasses = new Set([
  ...Object.values(config.activityTypes).map(t => t.documentClass.name),
  ...Object.values(config.advancementTypes).map(t => (t.documentClass ?? t).name)
]);
for ( const folder of ["module/documents/activity", "module/documents/advancement"] ) {
  for ( const file of readdirSync(join(ROOT, folder)).sort() ) {
    const text = readFileSync(join(ROOT, folder, file), "utf8");
    for ( const [, name] of text.matchAll(/^export\s+(?:default\s+)?class\s+(\w+)/gm) ) {
      if ( typeClasses.has(name) ) sources.add(`${folder}/${file}`);
    }
  }
}

process.stdout.write(`${JSON.stringify({ documents: result, source: [...sources].sort() }, null, 1)}\n`);
