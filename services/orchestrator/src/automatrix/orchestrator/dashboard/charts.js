// Small SVG line charts, drawn by hand: no library, no build step.
"use strict";

const SVG_NS = "http://www.w3.org/2000/svg";
const PALETTE = ["#4f9dff", "#ff9f43", "#2ed47a", "#e05d8f", "#b28cff", "#f6d55c"];

function svgEl(name, attrs) {
  const el = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attrs || {})) el.setAttribute(key, value);
  return el;
}

// Draw series ({name, values: [number|null]}) into svg, scaled to its viewBox.
function lineChart(svg, series, options) {
  const opts = Object.assign({ pad: 6, dots: false }, options || {});
  const box = svg.viewBox.baseVal;
  const width = box.width, height = box.height, pad = opts.pad;
  while (svg.firstChild) svg.removeChild(svg.firstChild);
  const all = series.flatMap((s) => s.values).filter((v) => v !== null && Number.isFinite(v));
  if (!all.length) return;
  let low = Math.min(...all), high = Math.max(...all);
  if (high === low) { high += 1; low = Math.max(0, low - 1); }
  const longest = Math.max(...series.map((s) => s.values.length), 2);
  const x = (i) => pad + (i * (width - 2 * pad)) / (longest - 1);
  const y = (v) => height - pad - ((v - low) * (height - 2 * pad)) / (high - low);
  series.forEach((s, index) => {
    let d = "";
    s.values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) return;
      d += (d ? " L" : "M") + x(i).toFixed(1) + " " + y(v).toFixed(1);
    });
    if (!d) return;
    const colour = s.colour || PALETTE[index % PALETTE.length];
    svg.appendChild(svgEl("path", {
      d, fill: "none", stroke: colour, "stroke-width": 1.5, "vector-effect": "non-scaling-stroke",
    }));
    if (opts.dots) {
      // Zero-length round-capped segments: dots that stay round however the box is scaled.
      const dots = d.replace(/L/g, "M").split("M").filter(Boolean)
        .map((xy) => "M" + xy.trim() + " l0 0").join(" ");
      svg.appendChild(svgEl("path", {
        d: dots, fill: "none", stroke: colour, "stroke-width": 5, "stroke-linecap": "round",
        "vector-effect": "non-scaling-stroke",
      }));
    }
  });
}

window.lineChart = lineChart;
window.PALETTE = PALETTE;
