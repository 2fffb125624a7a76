// Injected by esbuild into dist/genloop.es5.js only, for ES5 engines without ES2015 collections
// (Duktape, mujs). Each name is the engine's own when it has one; the fallbacks stay private to
// the bundle (nothing is written to the global object). The fallbacks are small insertion-ordered
// collections with the operations genloop uses; TypeScript's ES5 helpers iterate them through
// Symbol.iterator, so an engine without Symbol (mujs) needs a global Symbol.iterator shim.
var host = typeof globalThis !== "undefined" ? globalThis : Function("return this")();

function iteratorOf(items, map) {
  var i = 0;
  var it = {
    next: function () {
      if (i >= items.length) return { value: undefined, done: true };
      var entry = items[i++];
      return { value: map(entry), done: false };
    },
  };
  var sym = typeof host.Symbol === "function" ? host.Symbol.iterator : undefined;
  if (sym !== undefined) {
    it[sym] = function () {
      return this;
    };
  }
  return it;
}

// Lookups are hashed, so that gathering 10 000 children stays linear: a primitive key hashes to
// its type and value; an extensible object gets a hidden, non-enumerable id the first time it is
// used as a key. Only keys that cannot be stamped (frozen objects, symbols) are found by a scan,
// over those keys alone. Deleting leaves a hole in the insertion-ordered arrays; holes are
// compacted away once they outnumber the live entries.
var EMPTY = {};
var STAMP = "__genloopShimId";
var nextStamp = 1;
var canDefine = typeof Object.defineProperty === "function";

function hashOf(key, create) {
  switch (typeof key) {
    case "string": return "s" + key;
    case "number": return "n" + (key === 0 ? 0 : key); // SameValueZero: -0 is 0, NaN is NaN
    case "boolean": return key ? "t" : "f";
    case "undefined": return "u";
    case "object": case "function":
      if (key === null) return "l";
      if (Object.prototype.hasOwnProperty.call(key, STAMP)) return "o" + key[STAMP];
      if (!create || !canDefine || (Object.isExtensible && !Object.isExtensible(key))) return null;
      var id = nextStamp++;
      Object.defineProperty(key, STAMP, { value: id, enumerable: false, writable: false, configurable: false });
      return "o" + id;
    default: return null; // symbols, or anything else an engine adds
  }
}

function sameKey(a, b) {
  return a === b || (a !== a && b !== b);
}

function ShimStore() {
  this._keys = [];
  this._values = [];
  this._index = Object.create(null); // hash -> position in _keys
  this._unhashed = []; // positions of keys without a hash
  this._size = 0;
}
ShimStore.prototype._find = function (key) {
  var hash = hashOf(key, false);
  if (hash !== null) {
    var i = this._index[hash];
    return i === undefined ? -1 : i;
  }
  for (var j = 0; j < this._unhashed.length; j++) {
    var p = this._unhashed[j];
    if (sameKey(this._keys[p], key)) return p;
  }
  return -1;
};
ShimStore.prototype._put = function (key, value) {
  var i = this._find(key);
  if (i >= 0) {
    this._values[i] = value;
    return;
  }
  var at = this._keys.length;
  var hash = hashOf(key, true);
  if (hash !== null) this._index[hash] = at;
  else this._unhashed.push(at);
  this._keys.push(key);
  this._values.push(value);
  this._size++;
};
ShimStore.prototype._remove = function (key) {
  var i = this._find(key);
  if (i < 0) return false;
  var hash = hashOf(key, false);
  if (hash !== null) delete this._index[hash];
  else this._unhashed.splice(this._unhashed.indexOf(i), 1);
  this._keys[i] = EMPTY;
  this._values[i] = undefined;
  this._size--;
  if (this._keys.length > 32 && this._keys.length > 2 * this._size) this._compact();
  return true;
};
ShimStore.prototype._compact = function () {
  var keys = this._keys, values = this._values;
  ShimStore.call(this);
  for (var i = 0; i < keys.length; i++) if (keys[i] !== EMPTY) this._put(keys[i], values[i]);
};
ShimStore.prototype._clear = function () {
  ShimStore.call(this);
};
// Snapshots of the live entries, so that deleting while iterating skips and revisits nothing.
ShimStore.prototype._liveKeys = function () {
  var out = [];
  for (var i = 0; i < this._keys.length; i++) if (this._keys[i] !== EMPTY) out.push(this._keys[i]);
  return out;
};
ShimStore.prototype._liveValues = function () {
  var out = [];
  for (var i = 0; i < this._keys.length; i++) if (this._keys[i] !== EMPTY) out.push(this._values[i]);
  return out;
};
ShimStore.prototype._livePairs = function () {
  var out = [];
  for (var i = 0; i < this._keys.length; i++) if (this._keys[i] !== EMPTY) out.push([this._keys[i], this._values[i]]);
  return out;
};

function identity(v) {
  return v;
}

function ShimMap(entries) {
  ShimStore.call(this);
  if (entries) {
    var it = __iterate(entries);
    for (var r = it.next(); !r.done; r = it.next()) this.set(r.value[0], r.value[1]);
  }
}
ShimMap.prototype = Object.create(ShimStore.prototype);
ShimMap.prototype.constructor = ShimMap;
ShimMap.prototype.get = function (key) {
  var i = this._find(key);
  return i < 0 ? undefined : this._values[i];
};
ShimMap.prototype.set = function (key, value) {
  this._put(key, value);
  return this;
};
ShimMap.prototype.has = function (key) {
  return this._find(key) >= 0;
};
ShimMap.prototype["delete"] = function (key) {
  return this._remove(key);
};
ShimMap.prototype.clear = function () {
  this._clear();
};
ShimMap.prototype.forEach = function (fn, self) {
  var pairs = this._livePairs();
  for (var i = 0; i < pairs.length; i++) fn.call(self, pairs[i][1], pairs[i][0], this);
};
ShimMap.prototype.keys = function () {
  return iteratorOf(this._liveKeys(), identity);
};
ShimMap.prototype.values = function () {
  return iteratorOf(this._liveValues(), identity);
};
ShimMap.prototype.entries = function () {
  return iteratorOf(this._livePairs(), identity);
};
Object.defineProperty(ShimMap.prototype, "size", { get: function () { return this._size; } });

function ShimSet(values) {
  ShimStore.call(this);
  if (values) {
    var it = __iterate(values);
    for (var r = it.next(); !r.done; r = it.next()) this.add(r.value);
  }
}
ShimSet.prototype = Object.create(ShimStore.prototype);
ShimSet.prototype.constructor = ShimSet;
ShimSet.prototype.add = function (value) {
  if (this._find(value) < 0) this._put(value, value);
  return this;
};
ShimSet.prototype.has = ShimMap.prototype.has;
ShimSet.prototype["delete"] = ShimMap.prototype["delete"];
ShimSet.prototype.clear = ShimMap.prototype.clear;
ShimSet.prototype.forEach = function (fn, self) {
  var keys = this._liveKeys();
  for (var i = 0; i < keys.length; i++) fn.call(self, keys[i], keys[i], this);
};
ShimSet.prototype.values = ShimMap.prototype.keys;
ShimSet.prototype.keys = ShimMap.prototype.keys;
Object.defineProperty(ShimSet.prototype, "size", { get: function () { return this._size; } });

var iteratorKey = typeof host.Symbol === "function" ? host.Symbol.iterator : undefined;
if (iteratorKey !== undefined) {
  ShimMap.prototype[iteratorKey] = ShimMap.prototype.entries;
  ShimSet.prototype[iteratorKey] = ShimSet.prototype.values;
}

// An iterator over an array, a shim collection, or anything with Symbol.iterator.
function __iterate(source) {
  if (source instanceof ShimSet || source instanceof ShimMap) {
    return source instanceof ShimSet ? source.values() : source.entries();
  }
  if (iteratorKey !== undefined && typeof source[iteratorKey] === "function") return source[iteratorKey]();
  if (typeof source.length === "number") return iteratorOf(Array.prototype.slice.call(source), identity);
  throw new TypeError("object is not iterable");
}

function shimArrayFrom(source, map, self) {
  var out = [];
  var it = __iterate(source);
  for (var r = it.next(); !r.done; r = it.next()) out.push(map ? map.call(self, r.value, out.length) : r.value);
  return out;
}

export var Map = typeof host.Map === "function" ? host.Map : ShimMap;
export var Set = typeof host.Set === "function" ? host.Set : ShimSet;
export var __genloopArrayFrom = typeof Array.from === "function" ? Array.from : shimArrayFrom;
