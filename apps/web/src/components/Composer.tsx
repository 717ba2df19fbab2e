'use client';

// Browser-only. Where a message is written. Enter sends and Shift+Enter starts a new line (on
// every device, as the messengers people know do); a banner above the field says what a reply
// answers or which message is being edited, and Escape or its button cancels it.

import {
  type FormEvent,
  type KeyboardEvent,
  type Ref,
  useId,
  useLayoutEffect,
  useRef,
} from 'react';

import type { MessageView } from '../model/view-models';
import { Icon } from './Icon';
import { useTypingSignal } from './useTypingSignal';

export type ComposerTarget = {
  readonly kind: 'reply' | 'edit';
  readonly message: MessageView;
};

export type ComposerProps = {
  readonly value: string;
  readonly onChange: (value: string) => void;
  /** Called with the draft as typed; the composer has already checked it is not blank. */
  readonly onSubmit: () => void;
  readonly target?: ComposerTarget;
  readonly onCancelTarget: () => void;
  readonly onTyping: (isTyping: boolean) => void;
  readonly textareaRef?: Ref<HTMLTextAreaElement>;
};

/** The field grows with its text up to this many lines, then scrolls. */
const maxLines = 6;

export function Composer(props: ComposerProps) {
  const { value, target, onCancelTarget } = props;
  const ownRef = useRef<HTMLTextAreaElement | null>(null);
  const typing = useTypingSignal(props.onTyping);
  const fieldId = useId();
  const bannerId = useId();
  const blank = value.trim() === '';

  // Height follows content; measured before paint so the field never flickers a line.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the DOM height follows the value
  useLayoutEffect(() => {
    const field = ownRef.current;
    if (!field) return;

    field.style.height = 'auto';
    const style = getComputedStyle(field);
    const lineHeight = Number.parseFloat(style.lineHeight) || 20;
    const padding = Number.parseFloat(style.paddingTop) + Number.parseFloat(style.paddingBottom);
    const border = field.offsetHeight - field.clientHeight;
    const max = lineHeight * maxLines + padding + border;
    field.style.height = `${Math.min(field.scrollHeight + border, max)}px`;
  }, [value]);

  const send = () => {
    if (blank) return;
    typing.stop();
    props.onSubmit();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    send();
  };

  const keyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // While an input method composes (Japanese, Chinese, Korean), Enter confirms the
    // composition; sending then would send half a word.
    if (event.nativeEvent.isComposing) return;

    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      send();
    } else if (event.key === 'Escape' && target) {
      event.preventDefault();
      onCancelTarget();
    }
  };

  const change = (next: string) => {
    props.onChange(next);
    if (next.trim() === '') typing.stop();
    else typing.keystroke();
  };

  const setRef = (element: HTMLTextAreaElement | null) => {
    ownRef.current = element;
    const external = props.textareaRef;
    if (typeof external === 'function') external(element);
    else if (external) external.current = element;
  };

  const editing = target?.kind === 'edit';

  return (
    <form className="composer" onSubmit={submit}>
      {target && (
        <div className="composer__banner" id={bannerId}>
          <Icon name={editing ? 'edit' : 'reply'} size={20} />
          <div className="composer__banner-text">
            <p className="composer__banner-title">
              {editing
                ? 'Editing message'
                : target.message.fromSelf
                  ? 'Replying to your message'
                  : `Replying to ${target.message.senderName}`}
            </p>
            <p className="composer__banner-excerpt">{target.message.text}</p>
          </div>
          <button
            type="button"
            className="icon-button"
            aria-label={editing ? 'Cancel editing' : 'Cancel reply'}
            title="Cancel (Esc)"
            onClick={onCancelTarget}
          >
            <Icon name="close" />
          </button>
        </div>
      )}
      <div className="composer__row">
        <label className="visually-hidden" htmlFor={fieldId}>
          Message
        </label>
        <textarea
          id={fieldId}
          ref={setRef}
          className="composer__field"
          rows={1}
          placeholder="Message"
          enterKeyHint="send"
          value={value}
          onChange={(event) => change(event.target.value)}
          onKeyDown={keyDown}
          onBlur={typing.stop}
          aria-describedby={target ? bannerId : undefined}
        />
        <button
          type="submit"
          className="composer__send"
          aria-label={editing ? 'Save edit' : 'Send'}
          title={editing ? 'Save edit' : 'Send'}
          aria-disabled={blank}
        >
          <Icon name={editing ? 'check' : 'send'} />
        </button>
      </div>
    </form>
  );
}
