'use client';

// Browser-only. A QR code drawn by the `qrcode` package as SVG and shown as an image. The SVG is
// generated here from our own value, never taken from elsewhere, so it needs no sanitising.

import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

import { Spinner } from './Spinner';

export type QrCodeImageProps = {
  readonly value: string;
  /** Says what the code holds, for those who cannot see it. */
  readonly alt: string;
  readonly size?: number;
};

export function QrCodeImage({ value, alt, size = 208 }: QrCodeImageProps) {
  const [source, setSource] = useState<{ value: string; url: string }>();
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let cancelled = false;
    setFailed(false);

    // Dark modules on white in both colour schemes: scanners expect that contrast.
    QRCode.toString(value, {
      type: 'svg',
      errorCorrectionLevel: 'M',
      margin: 2,
      color: { dark: '#111b17', light: '#ffffff' },
    }).then(
      (svg) => {
        const url = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
        if (!cancelled) setSource({ value, url });
      },
      () => {
        if (!cancelled) setFailed(true);
      },
    );

    return () => {
      cancelled = true;
    };
  }, [value]);

  if (failed) return <p className="qr__failed">The QR code could not be drawn.</p>;

  if (source?.value !== value) {
    return (
      <span className="qr qr--loading" style={{ width: size, height: size }}>
        <Spinner size={24} />
      </span>
    );
  }

  // biome-ignore lint/performance/noImgElement: a data: URL made here; there is nothing to optimise
  return <img className="qr" src={source.url} alt={alt} width={size} height={size} />;
}
