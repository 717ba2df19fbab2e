'use client';
// Browser-only. Where in the app the user is, kept in the URL's query (`?chat=<id>` or
// `?view=settings`) so that it survives a reload and the browser's back button walks it back.
// The app is one exported page, so the query is read on the client only.
import { useCallback, useEffect, useState } from 'react';

export type Place = { readonly chat?: string; readonly view?: 'settings' };

function read(): Place {
  const params = new URLSearchParams(window.location.search);
  const chat = params.get('chat');
  if (chat) return { chat };
  if (params.get('view') === 'settings') return { view: 'settings' };
  return {};
}

function href(place: Place): string {
  if (place.chat) return `/?chat=${encodeURIComponent(place.chat)}`;
  if (place.view) return `/?view=${place.view}`;
  return '/';
}

export function useLocationState(): [Place, (place: Place) => void] {
  const [place, setPlace] = useState<Place>(read);

  useEffect(() => {
    const popped = () => setPlace(read());
    window.addEventListener('popstate', popped);
    return () => window.removeEventListener('popstate', popped);
  }, []);

  const go = useCallback((next: Place) => {
    if (href(next) !== `${window.location.pathname}${window.location.search}`) {
      window.history.pushState(null, '', href(next));
    }
    setPlace(next);
  }, []);

  return [place, go];
}
