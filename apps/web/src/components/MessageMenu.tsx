'use client';

// Browser-only. The actions on one message, behind a button that shows on hover and on focus
// (and always on touch screens). It follows the ARIA menu button pattern: the menu takes focus,
// arrow keys move through it, Escape closes it and returns focus to the button.

import { type KeyboardEvent, useId, useLayoutEffect, useRef, useState } from 'react';

import { Icon, type IconName } from './Icon';
import { quickReactions } from './reaction-emoji';

export type MessageMenuProps = {
  readonly open: boolean;
  readonly onOpenChange: (open: boolean) => void;
  /** Which side of the bubble the menu lines up with: your own messages sit on the right. */
  readonly align: 'start' | 'end';
  readonly onReact: (emoji: string) => void;
  readonly onReply: () => void;
  readonly onCopy: () => void;
  /** Offered only when given: your own text messages. */
  readonly onEdit?: () => void;
  /** Offered only when given: your own messages. */
  readonly onDelete?: () => void;
};

type Item = {
  readonly key: string;
  readonly label: string;
  readonly icon: IconName;
  readonly run: () => void;
  /** The action moves focus elsewhere (the composer, a dialog) by itself. */
  readonly movesFocus: boolean;
  readonly danger?: boolean;
};

export function MessageMenu(props: MessageMenuProps) {
  const { open, onOpenChange, align } = props;
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const [direction, setDirection] = useState<'up' | 'down'>('down');
  const menuId = useId();

  const items: Item[] = [
    { key: 'reply', label: 'Reply', icon: 'reply', run: props.onReply, movesFocus: true },
    { key: 'copy', label: 'Copy text', icon: 'copy', run: props.onCopy, movesFocus: false },
  ];
  if (props.onEdit) {
    items.push({ key: 'edit', label: 'Edit', icon: 'edit', run: props.onEdit, movesFocus: true });
  }
  if (props.onDelete) {
    items.push({
      key: 'delete',
      label: 'Delete for everyone',
      icon: 'trash',
      run: props.onDelete,
      movesFocus: true,
      danger: true,
    });
  }

  // Held in a ref so that a parent re-rendering with a new function (a message arriving while
  // the menu is open) does not re-run the effect below and yank focus back to the first item.
  const onOpenChangeRef = useRef(onOpenChange);
  onOpenChangeRef.current = onOpenChange;

  // The menu opens downwards unless the button sits low in the window, where a downward menu
  // would be cut off by the bottom of the message list. Measured before paint, so it never
  // flashes in the wrong place.
  useLayoutEffect(() => {
    if (!open) return;

    const rect = buttonRef.current?.getBoundingClientRect();
    if (rect) setDirection(rect.top > window.innerHeight * 0.55 ? 'up' : 'down');
    menuItems(menuRef.current)[0]?.focus();

    const closeOutside = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) onOpenChangeRef.current(false);
    };
    document.addEventListener('pointerdown', closeOutside);

    return () => document.removeEventListener('pointerdown', closeOutside);
  }, [open]);

  const close = (returnFocus: boolean) => {
    onOpenChange(false);
    if (returnFocus) buttonRef.current?.focus();
  };

  const choose = (run: () => void, movesFocus: boolean) => {
    close(!movesFocus);
    run();
  };

  const menuKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const all = menuItems(menuRef.current);
    const index = all.indexOf(document.activeElement as HTMLElement);

    switch (event.key) {
      case 'Escape':
        event.preventDefault();
        event.stopPropagation();
        close(true);
        return;
      case 'Tab':
        close(false);
        return;
      case 'ArrowDown':
      case 'ArrowRight':
        event.preventDefault();
        all[(index + 1) % all.length]?.focus();
        return;
      case 'ArrowUp':
      case 'ArrowLeft':
        event.preventDefault();
        all[(index - 1 + all.length) % all.length]?.focus();
        return;
      case 'Home':
        event.preventDefault();
        all[0]?.focus();
        return;
      case 'End':
        event.preventDefault();
        all.at(-1)?.focus();
        return;
    }
  };

  return (
    <div className={`message-menu message-menu--${align}`} ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className="message-menu__button"
        aria-label="Message actions"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => onOpenChange(!open)}
      >
        <Icon name="chevronDown" size={20} />
      </button>
      {open && (
        <div
          ref={menuRef}
          id={menuId}
          className={`menu menu--${direction}`}
          role="menu"
          aria-label="Message actions"
          tabIndex={-1}
          onKeyDown={menuKeyDown}
        >
          {/* biome-ignore lint/a11y/useSemanticElements: not fields, so no fieldset */}
          <div className="menu__reactions" role="group" aria-label="React">
            {quickReactions.map(({ emoji, name }) => (
              <button
                key={emoji}
                type="button"
                role="menuitem"
                tabIndex={-1}
                className="menu__emoji"
                aria-label={`React with ${name}`}
                onClick={() => choose(() => props.onReact(emoji), false)}
              >
                {emoji}
              </button>
            ))}
          </div>
          <hr className="menu__separator" />
          {items.map((item) => (
            <button
              key={item.key}
              type="button"
              role="menuitem"
              tabIndex={-1}
              className={`menu__item${item.danger ? ' menu__item--danger' : ''}`}
              onClick={() => choose(item.run, item.movesFocus)}
            >
              <Icon name={item.icon} size={20} />
              <span>{item.label}</span>
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

function menuItems(menu: HTMLElement | null): HTMLElement[] {
  return menu ? Array.from(menu.querySelectorAll('[role="menuitem"]')) : [];
}
