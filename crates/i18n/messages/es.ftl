### Catálogo de mensajes de keepsim — español (es).
### Las variables son las mismas que en inglés (en.ftl).

-brand = keepsim

## Textos comunes de los correos

email-greeting = Hola:
email-footer =
    Recibes este correo porque está relacionado con tu cuenta de { -brand }.
    { -brand } — eSIM de prepago para viajar sin perder tu número.

## Notificaciones (bandeja de la app y correos)

notification-topup_succeeded-title = Recarga realizada
notification-topup_succeeded-body = Hemos añadido { $package } ({ $amount }) a tu línea. Tu número se conserva hasta el { $valid_until }.

notification-topup_failed-title = No se ha podido completar la recarga
notification-topup_failed-body = El pago de { $amount } por { $package } no se ha completado, así que no se ha añadido nada a tu línea. Inténtalo de nuevo o elige otro método de pago.

notification-refund-title = Reembolso realizado
notification-refund-body = Te hemos reembolsado { $amount } por { $package }. Según tu proveedor de pago, puede tardar unos días hábiles en aparecer.

notification-data_threshold-title = Has usado el { $percent } % de tus datos
notification-data_threshold-body = Has consumido el { $percent } % de los datos de { $package }. Te quedan { $remaining }.

notification-bundle_exhausted-title = Te has quedado sin datos
notification-bundle_exhausted-body = Has agotado todos los datos de { $package }. Recarga para seguir navegando.

notification-bundle_expiring-title = { $package } caduca en { $days ->
        [one] 1 día
       *[other] { $days } días
    }
notification-bundle_expiring-body = Tu paquete { $package } caduca el { $expires } (dentro de { $days ->
        [one] 1 día
       *[other] { $days } días
    }). Los datos, minutos y SMS que no hayas usado para entonces se perderán.

notification-bundle_expired-title = { $package } ha caducado
notification-bundle_expired-body = Tu paquete { $package } ha llegado al final de su validez. El saldo que no habías usado ({ $remaining }) se ha perdido.

notification-line_expiring-title = Tu número caduca en { $days ->
        [one] 1 día
       *[other] { $days } días
    }
notification-line_expiring-body = Tu número { $number } se conserva hasta el { $valid_until }. Recarga antes de esa fecha para no perderlo.

notification-line_grace-title = Tu número está en periodo de gracia
notification-line_grace-body = Tu número { $number } ha superado su fecha de validez. Todavía puedes recibir llamadas y SMS, pero no puedes llamar, enviar SMS ni usar datos. Recarga antes del { $expires } para volver a usarlo con normalidad.

notification-line_suspended-title = Tu número está suspendido
notification-line_suspended-body = Tu número { $number } está suspendido y no puede hacer ni recibir llamadas. Recarga antes del { $expires } para recuperarlo; después de esa fecha el número se liberará y ya no podrás recuperarlo.

notification-line_reactivated-title = Tu número vuelve a estar activo
notification-line_reactivated-body = ¡Te damos la bienvenida de nuevo! Tu número { $number } vuelve a estar activo y se conserva hasta el { $valid_until }.

notification-email_verify-title = Confirma tu dirección de correo
notification-email_verify-body =
    Abre este enlace para confirmar tu dirección de correo electrónico:
    { $link }
    Si no te has registrado en { -brand }, puedes ignorar este correo.

notification-password_reset-title = Restablece tu contraseña
notification-password_reset-body =
    Hemos recibido una solicitud para restablecer la contraseña de tu cuenta de { -brand }. Abre este enlace para elegir una nueva:
    { $link }
    El enlace solo se puede usar una vez y caduca pronto. Si no lo has pedido tú, ignora este correo: tu contraseña no cambiará.

# $subject (String) the ticket's subject
notification-ticket_answered-title = Soporte respondió: { $subject }
notification-ticket_answered-body = Hemos respondido a tu consulta «{ $subject }». Abre Soporte en la app para leer la respuesta y contestar.
