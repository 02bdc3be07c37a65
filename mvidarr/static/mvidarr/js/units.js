/* The one way the pages write a number of bytes and a speed: mvidarr/units.py's rule
 * (decimal SI units, 1 kB = 1000 bytes; one decimal above bytes: "6.6 MB", "102.7 kB/s").
 * Loaded before the scripts that use it: window.MVidarr.units.bytes(n), .rate(n). */
(function () {
  "use strict";
  var UNITS = ["B", "kB", "MB", "GB", "TB"];

  function bytes(count) {
    if (count === null || count === undefined || isNaN(count)) return "";
    var value = Number(count);
    var unit = 0;
    while (Math.abs(value) >= 1000 && unit < UNITS.length - 1) { value /= 1000; unit += 1; }
    return unit === 0 ? Math.round(value) + " B" : value.toFixed(1) + " " + UNITS[unit];
  }

  function rate(bytesPerSecond) {
    if (!bytesPerSecond) return "";
    return bytes(bytesPerSecond) + "/s";
  }

  window.MVidarr = window.MVidarr || {};
  window.MVidarr.units = { bytes: bytes, rate: rate };
})();
