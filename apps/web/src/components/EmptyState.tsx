// Shared. What a pane shows when it has nothing to show: a picture, a line, what to do next.

import type { ReactNode } from 'react';

import { Icon, type IconName } from './Icon';

export type EmptyStateProps = {
  readonly title: string;
  readonly description?: ReactNode;
  readonly icon?: IconName;
  /** A button or link that gets the user out of the empty state. */
  readonly action?: ReactNode;
  /** The heading level that fits where the empty state sits; 2 unless told. */
  readonly headingLevel?: 2 | 3;
};

export function EmptyState({
  title,
  description,
  icon = 'lock',
  action,
  headingLevel = 2,
}: EmptyStateProps) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';

  return (
    <div className="empty-state">
      <span className="empty-state__icon">
        <Icon name={icon} size={40} />
      </span>
      <Heading className="empty-state__title">{title}</Heading>
      {description && <div className="empty-state__description">{description}</div>}
      {action && <div className="empty-state__action">{action}</div>}
    </div>
  );
}
