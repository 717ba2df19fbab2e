// Shared. Every icon in the app, drawn here as inline SVG: no icon font and no request for a
// sprite. Icons are decorative (aria-hidden); the control that holds one carries the name.

export type IconName =
  | 'alert'
  | 'arrowDown'
  | 'arrowUp'
  | 'back'
  | 'ban'
  | 'bell'
  | 'camera'
  | 'check'
  | 'chevronDown'
  | 'clock'
  | 'close'
  | 'code'
  | 'copy'
  | 'devices'
  | 'edit'
  | 'eye'
  | 'info'
  | 'link'
  | 'lock'
  | 'newChat'
  | 'reply'
  | 'retry'
  | 'search'
  | 'send'
  | 'settings'
  | 'shield'
  | 'smile'
  | 'trash'
  | 'user';

// Strokes on a 24 × 24 grid; a path string may hold several sub-paths.
const paths: Record<IconName, readonly string[]> = {
  alert: ['M12 4 21 20H3z', 'M12 10v4', 'M12 17h.01'],
  arrowDown: ['M12 5v14', 'M6 13l6 6 6-6'],
  arrowUp: ['M12 19V5', 'M6 11l6-6 6 6'],
  back: ['M19 12H5', 'M11 6l-6 6 6 6'],
  ban: ['M12 3a9 9 0 1 0 0 18 9 9 0 1 0 0-18z', 'M5.7 5.7l12.6 12.6'],
  bell: ['M6 16v-5a6 6 0 0 1 12 0v5l2 2H4z', 'M10 20.5a2 2 0 0 0 4 0'],
  camera: ['M4 8h3l2-3h6l2 3h3v11H4z', 'M12 9.5a3.5 3.5 0 1 0 0 7 3.5 3.5 0 1 0 0-7z'],
  check: ['M5 12.5l4.5 4.5L19 7.5'],
  chevronDown: ['M7 10l5 5 5-5'],
  clock: ['M12 3a9 9 0 1 0 0 18 9 9 0 1 0 0-18z', 'M12 7v5l3 2'],
  close: ['M6 6l12 12', 'M18 6 6 18'],
  code: ['M8 7l-5 5 5 5', 'M16 7l5 5-5 5', 'M13.5 5l-3 14'],
  copy: [
    'M9 9h10a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H9a1 1 0 0 1-1-1V10a1 1 0 0 1 1-1z',
    'M16 9V5a1 1 0 0 0-1-1H5a1 1 0 0 0-1 1v10a1 1 0 0 0 1 1h3',
  ],
  devices: ['M3 6h12v9H3z', 'M1 18.5h16', 'M18 9h4v11h-4z'],
  edit: ['M4 20h4L19 9l-4-4L4 16z', 'M13 7l4 4'],
  eye: ['M2 12s4-7 10-7 10 7 10 7-4 7-10 7S2 12 2 12z', 'M12 9a3 3 0 1 0 0 6 3 3 0 1 0 0-6z'],
  info: ['M12 3a9 9 0 1 0 0 18 9 9 0 1 0 0-18z', 'M12 11v6', 'M12 7.5h.01'],
  link: [
    'M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1',
    'M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1',
  ],
  lock: ['M6 11h12v10H6z', 'M8.5 11V8a3.5 3.5 0 0 1 7 0v3'],
  newChat: ['M4 5h16v11H9l-5 4z', 'M12 7.5v6', 'M9 10.5h6'],
  reply: ['M9 7l-5 5 5 5', 'M4 12h10a6 6 0 0 1 6 6v1'],
  retry: ['M20 12a8 8 0 1 1-2.4-5.7', 'M20 4v5h-5'],
  search: ['M11 4a7 7 0 1 0 0 14 7 7 0 1 0 0-14z', 'M20 20l-4-4'],
  send: ['M4 12 20 4l-5 16-3.5-6.5z', 'M11.5 13.5 20 4'],
  settings: [
    'M4 7h9',
    'M19 7h1',
    'M16 5a2 2 0 1 0 0 4 2 2 0 1 0 0-4z',
    'M4 17h3',
    'M13 17h7',
    'M10 15a2 2 0 1 0 0 4 2 2 0 1 0 0-4z',
  ],
  shield: ['M12 3l7 3v6c0 4.5-3 7.5-7 9-4-1.5-7-4.5-7-9V6z', 'M9 12l2 2 4-4'],
  smile: [
    'M12 3a9 9 0 1 0 0 18 9 9 0 1 0 0-18z',
    'M8.5 14.5a4.5 4.5 0 0 0 7 0',
    'M9 9.5h.01',
    'M15 9.5h.01',
  ],
  trash: ['M4 7h16', 'M10 7V4h4v3', 'M6 7l1 13h10l1-13'],
  user: ['M12 4a4 4 0 1 0 0 8 4 4 0 1 0 0-8z', 'M4 21a8 8 0 0 1 16 0'],
};

export type IconProps = {
  readonly name: IconName;
  /** Edge length in CSS pixels; 24 unless told. */
  readonly size?: number;
  readonly className?: string;
};

export function Icon({ name, size = 24, className }: IconProps) {
  return (
    <svg
      className={className ? `icon ${className}` : 'icon'}
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {paths[name].map((d) => (
        <path key={d} d={d} />
      ))}
    </svg>
  );
}
