// Server-rendered SVG bar charts, readable without JavaScript; each page puts the data table beside it.
/** Horizontal bars, one per item; `format` writes the value as people read it. */
export function BarChart(props: { id: string; title: string; bars: { label: string; value: number }[]; format: (v: number) => string }) {
  const max = Math.max(1, ...props.bars.map((b) => b.value));
  const row = 28;
  const labelWidth = 230;
  const width = 640;
  const barMax = width - labelWidth - 90;
  const height = props.bars.length * row + 10;
  return (
    <svg class="chart" role="img" aria-labelledby={`${props.id}-title`} viewBox={`0 0 ${width} ${height}`} width="100%" xmlns="http://www.w3.org/2000/svg">
      <title id={`${props.id}-title`}>{props.title}</title>
      {props.bars.map((b, i) => {
        const w = Math.round((b.value / max) * barMax);
        const y = i * row + 5;
        return (
          <g>
            <text x={labelWidth - 8} y={y + 17} text-anchor="end" font-size="13" fill="#1e1e1e">
              {b.label}
            </text>
            <rect x={labelWidth} y={y + 3} width={Math.max(w, b.value > 0 ? 2 : 0)} height={row - 10} fill="#1d4f91" />
            <text x={labelWidth + w + 6} y={y + 17} font-size="13" fill="#1e1e1e">
              {props.format(b.value)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
