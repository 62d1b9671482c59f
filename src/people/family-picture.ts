import type { RelationshipType } from './tables.js';

/**
 * The family and network picture on a person's page (issue 13 item 3): the
 * person in the middle, the people related to them around, a line to each
 * labelled with the relationship — drawn on the server as SVG, so it needs
 * no JavaScript, from the same relationships the table under it lists.
 *
 * The SVG is one image (role="img" with a title and a description that
 * says the table holds the same information): screen reader users get the
 * table, which has the links; the drawing has none, so nothing in it is
 * reachable only by pointer. Colours are presentation attributes, not
 * inline styles, which the Content-Security-Policy refuses; each kind of
 * relationship is told by its line's pattern and its label as well as its
 * colour (WCAG 1.4.1), with at least 3:1 contrast on white (1.4.11).
 */

export interface PictureRelationship {
  relatedPersonId: string;
  relatedPersonName: string;
  type: RelationshipType;
  description: string | null;
}

export interface FamilyPicture {
  svg: string;
  /** People drawn; the rest are in the table only. */
  drawn: number;
  notDrawn: number;
}

/** More than this and the picture would be unreadable: the table lists everyone. */
export const MAX_DRAWN = 12;

const WIDTH = 720;
const HEIGHT = 440;
const NODE_W = 168;
const NODE_H = 48;

const look: Record<RelationshipType, { stroke: string; dash: string | null }> = {
  family: { stroke: '#1d70b8', dash: null },
  'extended-family': { stroke: '#4c2c92', dash: '8 4' },
  friend: { stroke: '#00703c', dash: '2 4' },
  carer: { stroke: '#942514', dash: null },
  professional: { stroke: '#505a5f', dash: '12 6' },
};

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Long names are shortened in the drawing only; the table has them whole. */
function fit(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function node(x: number, y: number, name: string, label: string, centre: boolean): string {
  const left = Math.round(x - NODE_W / 2);
  const top = Math.round(y - NODE_H / 2);
  return [
    `<rect x="${left}" y="${top}" width="${NODE_W}" height="${NODE_H}" rx="6" fill="${centre ? '#0b0c0c' : '#ffffff'}" stroke="#0b0c0c" stroke-width="2"/>`,
    `<text x="${Math.round(x)}" y="${top + 20}" text-anchor="middle" font-family="Arial, sans-serif" font-size="15" font-weight="700" fill="${centre ? '#ffffff' : '#0b0c0c'}">${escapeXml(fit(name, 20))}</text>`,
    `<text x="${Math.round(x)}" y="${top + 39}" text-anchor="middle" font-family="Arial, sans-serif" font-size="13" fill="${centre ? '#ffffff' : '#0b0c0c'}">${escapeXml(fit(label, 24))}</text>`,
  ].join('');
}

export function familyPicture(
  person: { name: string },
  relationships: readonly PictureRelationship[],
  typeWords: Record<RelationshipType, string>,
): FamilyPicture {
  const drawn = relationships.slice(0, MAX_DRAWN);
  const cx = WIDTH / 2;
  const cy = HEIGHT / 2;
  const rx = WIDTH / 2 - NODE_W / 2 - 8;
  const ry = HEIGHT / 2 - NODE_H / 2 - 8;
  const titleId = 'family-picture-title';
  const descId = 'family-picture-desc';
  const lines: string[] = [];
  const nodes: string[] = [];
  drawn.forEach((r, i) => {
    // Evenly round the person, starting at the top.
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(drawn.length, 1);
    const x = cx + rx * Math.cos(angle);
    const y = cy + ry * Math.sin(angle);
    const { stroke, dash } = look[r.type];
    lines.push(
      `<line x1="${cx}" y1="${cy}" x2="${Math.round(x)}" y2="${Math.round(y)}" stroke="${stroke}" stroke-width="3"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`,
    );
    nodes.push(node(x, y, r.relatedPersonName, r.description || typeWords[r.type], false));
  });
  const count = relationships.length;
  const description =
    count === 0
      ? `No relationships of ${person.name} are recorded that you may see.`
      : `${person.name} in the middle, with ${count === 1 ? '1 related person' : `${count} related people`} around them. The table below lists the same people and relationships.`;
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-family-picture" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" role="img" aria-labelledby="${titleId} ${descId}" focusable="false" data-testid="family-picture">`,
    `<title id="${titleId}">Family and network of ${escapeXml(person.name)}</title>`,
    `<desc id="${descId}">${escapeXml(description)}</desc>`,
    ...lines,
    node(cx, cy, person.name, 'This person', true),
    ...nodes,
    '</svg>',
  ].join('');
  return { svg, drawn: drawn.length, notDrawn: count - drawn.length };
}
