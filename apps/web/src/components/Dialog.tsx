'use client';

// Browser-only. A modal dialog on the native <dialog> element: showModal() makes the rest of the
// page inert (so focus cannot wander behind it), Escape fires `cancel`, and the browser draws it
// in the top layer above everything. This component adds what the element leaves out: a title
// that names it, a close button, closing on a click outside, a chosen first focus, and focus put
// back on close.

import { type ReactNode, type RefObject, useEffect, useId, useRef } from 'react';

import { Icon } from './Icon';

export type DialogProps = {
  readonly open: boolean;
  readonly title: string;
  readonly onClose: () => void;
  readonly children: ReactNode;
  /** 'sheet' fills a phone's screen and is a side panel on a desktop. */
  readonly variant?: 'modal' | 'sheet';
  /** Hides the title visually when the content shows its own (it still names the dialog). */
  readonly hideTitle?: boolean;
  /** Where focus goes on close, when not back to the element that had it before opening. */
  readonly returnFocusTo?: RefObject<HTMLElement | null>;
};

export function Dialog({
  open,
  title,
  onClose,
  children,
  variant = 'modal',
  hideTitle = false,
  returnFocusTo,
}: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const returnFocusRef = useRef(returnFocusTo);
  returnFocusRef.current = returnFocusTo;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog || !open) return;

    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    // showModal() focuses the first focusable element, which is the close button. A field or a
    // safe choice marked data-autofocus is a better start. (React's autoFocus does not write the
    // attribute that the dialog's own focusing steps look for.)
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();

    return () => {
      if (dialog.open) dialog.close();
      // Closing hands focus back to the opener, which may have gone (a menu closes as its item
      // opens a dialog); the caller can name a better place.
      const target = returnFocusRef.current?.current ?? opener;
      if (target?.isConnected) target.focus();
    };
  }, [open]);

  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: Escape is handled by the native cancel event
    <dialog
      ref={ref}
      className={`dialog dialog--${variant}`}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => {
        // A click on the backdrop lands on the <dialog> itself; clicks inside land on its body.
        if (event.target === event.currentTarget) onClose();
      }}
    >
      {open && (
        <div className="dialog__body">
          <header className="dialog__header">
            <h2 id={titleId} className={hideTitle ? 'visually-hidden' : 'dialog__title'}>
              {title}
            </h2>
            <button
              type="button"
              className="icon-button dialog__close"
              aria-label="Close"
              onClick={onClose}
            >
              <Icon name="close" />
            </button>
          </header>
          <div className="dialog__content">{children}</div>
        </div>
      )}
    </dialog>
  );
}
