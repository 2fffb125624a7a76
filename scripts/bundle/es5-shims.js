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

function indexOfKey(keys, key) {
  for (var i = 0; i < keys.length; i++) {
    var k = keys[i];
    if (k === key || (k !== k && key !== key)) return i;
  }
  return -1;
}

// Entries are [key, value] pairs; a deleted entry is spliced out, so live iteration skips nothing
// but may revisit nothing: genloop never mutates a collection while iterating it except to delete
// the current item, which these iterators tolerate by snapshotting.
function ShimMap(entries) {
  this._keys = [];
  this._values = [];
  if (entries) {
    var it = __iterate(entries);
    for (var r = it.next(); !r.done; r = it.next()) this.set(r.value[0], r.value[1]);
  }
}
ShimMap.prototype.get = function (key) {
  var i = indexOfKey(this._keys, key);
  return i < 0 ? undefined : this._values[i];
};
ShimMap.prototype.set = function (key, value) {
  var i = indexOfKey(this._keys, key);
  if (i < 0) {
    this._keys.push(key);
    this._values.push(value);
  } else this._values[i] = value;
  return this;
};
ShimMap.prototype.has = function (key) {
  return indexOfKey(this._keys, key) >= 0;
};
ShimMap.prototype["delete"] = function (key) {
  var i = indexOfKey(this._keys, key);
  if (i < 0) return false;
  this._keys.splice(i, 1);
  this._values.splice(i, 1);
  return true;
};
ShimMap.prototype.clear = function () {
  this._keys = [];
  this._values = [];
};
ShimMap.prototype.forEach = function (fn, self) {
  var keys = this._keys.slice(), values = this._values.slice();
  for (var i = 0; i < keys.length; i++) fn.call(self, values[i], keys[i], this);
};
ShimMap.prototype.keys = function () {
  return iteratorOf(this._keys.slice(), function (k) { return k; });
};
ShimMap.prototype.values = function () {
  return iteratorOf(this._values.slice(), function (v) { return v; });
};
ShimMap.prototype.entries = function () {
  var values = this._values;
  var keys = this._keys;
  var pairs = [];
  for (var i = 0; i < keys.length; i++) pairs.push([keys[i], values[i]]);
  return iteratorOf(pairs, function (p) { return p; });
};
Object.defineProperty(ShimMap.prototype, "size", { get: function () { return this._keys.length; } });

function ShimSet(values) {
  this._keys = [];
  if (values) {
    var it = __iterate(values);
    for (var r = it.next(); !r.done; r = it.next()) this.add(r.value);
  }
}
ShimSet.prototype.add = function (value) {
  if (indexOfKey(this._keys, value) < 0) this._keys.push(value);
  return this;
};
ShimSet.prototype.has = ShimMap.prototype.has;
ShimSet.prototype["delete"] = function (value) {
  var i = indexOfKey(this._keys, value);
  if (i < 0) return false;
  this._keys.splice(i, 1);
  return true;
};
ShimSet.prototype.clear = function () {
  this._keys = [];
};
ShimSet.prototype.forEach = function (fn, self) {
  var keys = this._keys.slice();
  for (var i = 0; i < keys.length; i++) fn.call(self, keys[i], keys[i], this);
};
ShimSet.prototype.values = ShimMap.prototype.keys;
ShimSet.prototype.keys = ShimMap.prototype.keys;
Object.defineProperty(ShimSet.prototype, "size", { get: function () { return this._keys.length; } });

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
  if (typeof source.length === "number") return iteratorOf(Array.prototype.slice.call(source), function (v) { return v; });
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
