// Shared. The error line under a form. It stays in the page while empty so that the id a field
// points at with aria-describedby always resolves, and role=alert makes a new message heard at
// once, wherever focus is.

import { Icon } from './Icon';

export type FormErrorProps = {
  readonly id: string;
  readonly message?: string;
};

export function FormError({ id, message }: FormErrorProps) {
  return (
    <p className="form__error" id={id} role="alert">
      {message && (
        <>
          <Icon name="alert" size={18} />
          <span>{message}</span>
        </>
      )}
    </p>
  );
}
