'use client';
// Browser-only. The app's root: the device saved in this browser, or signing one in. Everything
// below it works from the local database first, so it opens offline as it was left.
import { useEffect, useState } from 'react';

import { Spinner } from '../components/Spinner';
import { ParleyEngine } from '../engine/parley-engine.ts';
import { eraseLocalDatabase } from '../shared/local-database.ts';
import { MainScreen } from './MainScreen';
import { SignInScreen } from './SignInScreen';

type State =
  | { readonly type: 'opening' }
  | { readonly type: 'signed-out' }
  | { readonly type: 'signed-in'; readonly engine: ParleyEngine };

export function ParleyApp() {
  const [state, setState] = useState<State>({ type: 'opening' });

  useEffect(() => {
    let opened: ParleyEngine | undefined;
    let cancelled = false;
    ParleyEngine.resume()
      .then((engine) => {
        opened = engine;
        if (cancelled) engine?.stop();
        else setState(engine ? { type: 'signed-in', engine } : { type: 'signed-out' });
      })
      .catch((error: unknown) => {
        console.error('Parley: could not open this device', error);
        if (!cancelled) setState({ type: 'signed-out' });
      });
    return () => {
      cancelled = true;
      opened?.stop();
    };
  }, []);

  useEffect(() => {
    // The shell and push need the service worker; `next dev` serves one that caches nothing.
    if ('serviceWorker' in navigator) {
      navigator.serviceWorker.register('/sw.js').catch((error: unknown) => {
        console.warn('Parley: the service worker did not register', error);
      });
    }
  }, []);

  const signedIn = state.type === 'signed-in' ? state.engine : undefined;
  useEffect(() => {
    if (!signedIn) return;
    signedIn.onSignedOut = () => {
      void eraseLocalDatabase().finally(() => setState({ type: 'signed-out' }));
    };
  }, [signedIn]);

  switch (state.type) {
    case 'opening':
      return (
        <div className="app-loading">
          <Spinner label="Opening Parley" />
        </div>
      );
    case 'signed-out':
      return <SignInScreen onSignedIn={(engine) => setState({ type: 'signed-in', engine })} />;
    case 'signed-in':
      return <MainScreen engine={state.engine} />;
  }
}
