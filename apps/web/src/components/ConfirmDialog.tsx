'use client';

// Browser-only. Asks before something that cannot be undone: deleting a message for everyone,
// signing a device out. The safe choice has focus first, so a hurried Enter does no harm.

import type { RefObject } from 'react';

import { Dialog } from './Dialog';

export type ConfirmDialogProps = {
  readonly open: boolean;
  readonly title: string;
  readonly message: string;
  readonly confirmLabel: string;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
  /** Where focus goes on close, when not back to the element that opened the dialog. */
  readonly returnFocusTo?: RefObject<HTMLElement | null>;
};

export function ConfirmDialog(props: ConfirmDialogProps) {
  return (
    <Dialog
      open={props.open}
      title={props.title}
      onClose={props.onCancel}
      returnFocusTo={props.returnFocusTo}
    >
      <p className="confirm__message">{props.message}</p>
      <div className="dialog__actions">
        <button type="button" className="button" onClick={props.onCancel} data-autofocus>
          Cancel
        </button>
        <button type="button" className="button button--danger" onClick={props.onConfirm}>
          {props.confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
