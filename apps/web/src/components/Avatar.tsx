'use client';

// Shared. A person's or a group's picture, or their initials on a colour that the name picks,
// so that the same chat keeps the same colour on every device.

import { useState } from 'react';

import { nameHash } from './name-hash';

// Every colour keeps white initials above 4.5:1 contrast.
const palette = [
  '#0b6e4f',
  '#1e5aa8',
  '#7a3fa0',
  '#a3361f',
  '#2f6f8f',
  '#8a3366',
  '#4d5d1a',
  '#875200',
  '#5b4fb5',
];

export type AvatarSize = 'sm' | 'md' | 'lg' | 'xl';

export type AvatarProps = {
  readonly name: string;
  readonly url?: string;
  readonly size?: AvatarSize;
  /** Shows a green dot, and says "Online" to screen readers. */
  readonly online?: boolean;
};

export function Avatar({ name, url, size = 'md', online = false }: AvatarProps) {
  // A photo that fails to load (revoked, offline) falls back to the initials.
  const [failedUrl, setFailedUrl] = useState<string>();
  const showPhoto = url !== undefined && url !== failedUrl;

  return (
    <span className={`avatar avatar--${size}`}>
      {showPhoto ? (
        // biome-ignore lint/performance/noImgElement: a static export serves images as they are
        <img className="avatar__photo" src={url} alt="" onError={() => setFailedUrl(url)} />
      ) : (
        <span
          className="avatar__initials"
          style={{ backgroundColor: colourFor(name) }}
          aria-hidden="true"
        >
          {initialsOf(name)}
        </span>
      )}
      {online && (
        <span className="avatar__online">
          <span className="visually-hidden">Online</span>
        </span>
      )}
    </span>
  );
}

function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  // Array.from splits by code point, so an emoji or a letter outside the BMP stays whole.
  const letters = words.slice(0, 2).map((word) => Array.from(word)[0] ?? '');
  const initials = letters.join('').toUpperCase();

  return initials || '?';
}

function colourFor(name: string): string {
  return palette[nameHash(name) % palette.length] ?? palette[0]!;
}
