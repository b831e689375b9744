import { PktButton } from '@oslokommune/punkt-react';

/**
 * A form's buttons: submit (disabled and saying so while the request is out), and "Avbryt" when the form can be
 * closed without saving.
 */
export function FormActions(props: { label: string; busy?: boolean; busyLabel?: string; onCancel?(): void }) {
  return (
    <div className="form-actions">
      <PktButton type="submit" skin="primary" disabled={props.busy}>
        {props.busy ? (props.busyLabel ?? 'Lagrer …') : props.label}
      </PktButton>
      {props.onCancel && (
        <PktButton type="button" skin="tertiary" onClick={props.onCancel}>
          Avbryt
        </PktButton>
      )}
    </div>
  );
}
