import type { AlertPriority } from '@vigil/contracts';

const FILL: Record<AlertPriority | 'none', string> = {
  high: '#b3120f',
  medium: '#8a5d00',
  low: '#005f73',
  info: '#1b6ec2',
  none: '#1b6ec2',
};

export function titleFor(count: number, top: AlertPriority | null): string {
  if (count === 0) return 'Vigil';
  const word = count === 1 ? 'alert' : 'alerts';
  return `(${count}) ${top === 'high' ? '‼ ' : ''}${count} open ${word} · Vigil`;
}

/** An SVG favicon: a coloured disc, with the count written on it when there are open alerts. */
export function faviconFor(count: number, top: AlertPriority | null): string {
  const fill = FILL[top ?? 'none'];
  const label = count > 9 ? '9+' : String(count);
  const text =
    count > 0
      ? `<text x='8' y='12' font-size='${count > 9 ? 8 : 11}' font-family='Arial' font-weight='bold' text-anchor='middle' fill='white'>${label}</text>`
      : '';
  const svg = `<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'><circle cx='8' cy='8' r='8' fill='${fill}'/>${text}</svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

export function applyTabBadge(doc: Document, count: number, top: AlertPriority | null): void {
  doc.title = titleFor(count, top);
  let link = doc.getElementById('favicon') as HTMLLinkElement | null;
  if (!link) {
    link = doc.createElement('link');
    link.id = 'favicon';
    link.rel = 'icon';
    doc.head.appendChild(link);
  }
  link.href = faviconFor(count, top);
}
