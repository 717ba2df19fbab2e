import type { NextConfig } from 'next';

// The app is a static export: every byte of a user's data lives in the browser (keys, group
// state, decrypted history), so there is nothing for a Node server to render. The API server
// serves the exported files on its own origin, next to /graphql.
const config: NextConfig = {
  output: 'export',
  images: { unoptimized: true },
  reactStrictMode: true,
  poweredByHeader: false,
  transpilePackages: ['@parley/crypto'],
};

export default config;
