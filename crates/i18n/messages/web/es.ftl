### Páginas web y títulos de error de la API de keepsim — español (es).
### Define todos los mensajes de inglés (en.ftl) con las mismas variables.

## Navigation and layout
nav-skip = Saltar al contenido
nav-main = Principal
nav-language = Idioma
nav-language-apply = Cambiar
nav-signin = Iniciar sesión
nav-signout = Cerrar sesión
nav-home = Mis líneas
nav-devices = Dispositivos
nav-coverage = Cobertura
nav-inbox = Bandeja de entrada
nav-support = Soporte
nav-help = Ayuda
footer-text = keepsim — eSIM de prepago para viajar sin perder tu número.

## Home
home-title = Conéctate en el extranjero sin perder tu número
home-lead = Vincula tu teléfono, instala una eSIM en un minuto, compra datos, minutos y SMS para tu destino y conserva tu número de siempre con una pequeña recarga al año.
home-cta-signup = Crear una cuenta
home-regions = Regiones
home-how = Cómo funciona
home-step-1 = Crea una cuenta y vincula tu teléfono con su IMEI.
home-step-2 = Obtén tu eSIM: escanea el código QR o copia el código de activación.
home-step-3 = Compra un paquete para los países que visitas y paga con tarjeta, Alipay o WeChat Pay.
home-step-4 = Consulta tu consumo; te avisamos antes de que se acaben los datos o caduque tu número.

## Sign up and sign in
signup-title = Crear una cuenta
signup-submit = Crear cuenta
signup-have-account = ¿Ya tienes una cuenta?
signin-title = Iniciar sesión
signin-submit = Iniciar sesión
signin-no-account = ¿Es tu primera vez en keepsim?
signin-forgot = ¿Has olvidado la contraseña?
forgot-title = Restablecer la contraseña
forgot-hint = Escribe el correo de tu cuenta. Si pertenece a una cuenta, le enviamos un enlace para elegir una contraseña nueva; el enlace sirve una vez, durante una hora.
forgot-submit = Enviar el enlace
forgot-sent = Si esta dirección pertenece a una cuenta, el enlace ya va de camino. Mira en la bandeja de entrada y también en la carpeta de spam.
field-new-password = Contraseña nueva
reset-title = Elige una contraseña nueva
reset-submit = Guardar la contraseña nueva
reset-done = Tu contraseña ha cambiado y se han cerrado todas tus sesiones. Inicia sesión con la contraseña nueva.
reset-invalid = Este enlace no es válido: ya se usó, caducó o se copió incompleto.
reset-again = Pedir un enlace nuevo
verify-title = Confirma tu correo
verify-hint = Confirma que esta dirección es tuya para que te lleguen los avisos sobre tu número.
verify-submit = Confirmar mi dirección
verify-done = Gracias: tu correo está confirmado.
app-verify-needed = Tu correo aún no está confirmado. Lo usamos para avisarte antes de que caduquen tus paquetes o tu número.
app-verify-send = Enviarme un enlace de confirmación
app-verify-sent = El enlace de confirmación va de camino a tu bandeja de entrada.
field-email = Correo electrónico
field-password = Contraseña
field-password-hint = Al menos 10 caracteres y que no sea tu dirección de correo.
field-imei = IMEI
field-imei-hint = El número de 15 cifras de tu teléfono. Marca *#06# para verlo, o búscalo en Ajustes → General → Información (iPhone) o en Ajustes → Información del teléfono (Android).
field-device-label = Nombre (opcional)
field-device-label-hint = Por ejemplo, "Mi iPhone".
field-eid = EID (opcional)
field-eid-hint = 32 cifras; solo hace falta si lo pide el fabricante del teléfono. iPhone: Ajustes → General → Información → EID. Android: Ajustes → Información del teléfono → Estado de la SIM.
field-currency = Moneda
field-subject = Asunto
field-message = Mensaje

## Live IMEI check in the browser ({"{n}"} is replaced by a number there)
imei-live-digits = Solo cifras, por favor.
imei-live-short = Faltan { "{n}" } cifras.
imei-live-long = Un IMEI tiene exactamente 15 cifras.
imei-live-check = Este número tiene un error: la última cifra no coincide.
imei-live-ok = Todo correcto.

## Customer home
app-title = Mis líneas
# $email (String)
app-signed-in-as = Sesión iniciada como { $email }
# $count (Int)
app-unread = { $count ->
    [one] Tienes 1 mensaje sin leer.
   *[other] Tienes { $count } mensajes sin leer.
}
app-no-lines = Aún no tienes ninguna eSIM. Vincula tu teléfono para obtener una.
app-bind-first = Vincular un dispositivo
# $amount (String)
app-data-left = Te quedan { $amount } de datos
app-no-bundle = No tienes ningún paquete activo.
app-usage = Consumo
app-topup = Comprar un paquete
app-esim = eSIM
# $count (Int)
app-devices-without-line = { $count ->
    [one] 1 dispositivo aún no tiene eSIM.
   *[other] { $count } dispositivos aún no tienen eSIM.
}

## States
line-state-assigned = Lista para instalar
line-state-active = Activa
line-state-grace = En periodo de gracia
line-state-suspended = Suspendida
line-state-recycled = Liberada
bundle-state-active = Activo
bundle-state-exhausted = Agotado
bundle-state-expired = Caducado
bundle-state-revoked = Reembolsado
ledger-topup_credit = Recarga
ledger-usage_debit = Consumo
ledger-reserve = Reserva
ledger-release = Liberación
ledger-expiry_forfeit = Caducado sin usar
ledger-refund_revoke = Reembolso
method-card = Tarjeta
method-alipay = Alipay
method-wechat = WeChat Pay
ticket-status-open = Abierta
ticket-status-answered = Respondida
ticket-status-closed = Cerrada
ticket-author-customer = Tú
ticket-author-staff = Soporte de keepsim

## Devices
devices-title = Dispositivos
devices-unnamed = Dispositivo sin nombre
# $number (String)
devices-line = Número { $number }
devices-get-esim = Obtener la eSIM
devices-remove = Quitar
devices-removed-hint = Un teléfono sin eSIM se puede quitar.
devices-none = Aún no has vinculado ningún dispositivo.
devices-bind-title = Vincular un dispositivo
devices-bind-submit = Vincular dispositivo
devices-one-per-line-title = ¿Por qué una eSIM por dispositivo?
devices-one-per-line = Cada eSIM se crea para un solo teléfono y queda asociada a su IMEI. Para pasar tu número a un teléfono nuevo, vincula el teléfono nuevo y pide a soporte que traslade la línea.

## eSIM
esim-title = Tu eSIM
esim-number = Número de teléfono
esim-state = Estado
esim-device = Dispositivo
esim-kept-until = Número conservado hasta
esim-qr-title = Instalar con el código QR
esim-qr-hint = Abre esta página en otra pantalla y escanea el código con el teléfono que vinculaste.
esim-qr-alt = Código QR del código de activación de la eSIM
esim-code-title = O introduce el código de activación
esim-copy = Copiar el código
esim-copied = Copiado
esim-smdp = Dirección SM-DP+
esim-matching-id = Código de activación (matching ID)
esim-ios-title = En un iPhone
esim-ios-1 = Abre Ajustes → Datos móviles (o Celular) → Añadir eSIM.
esim-ios-2 = Elige "Usar código QR" y escanea el código, o toca "Introducir los datos manualmente" y pega el código de activación.
esim-ios-3 = Ponle a la nueva línea la etiqueta "Viaje" y elígela para los datos móviles cuando estés en el extranjero.
esim-ios-4 = Activa la itinerancia de datos (roaming) para esta línea.
esim-android-title = En un teléfono Android
esim-android-1 = Abre Ajustes → Redes e Internet → SIMs → Añadir SIM (o "Descargar una SIM").
esim-android-2 = Escanea el código QR, o elige "¿Necesitas ayuda?" → "Introducir manualmente" y pega el código de activación.
esim-android-3 = Activa la nueva SIM y selecciónala para los datos móviles.
esim-android-4 = Activa el roaming para esta SIM.
esim-move-title = ¿Has cambiado de teléfono?
esim-move-hint = Pasa este número a otro teléfono que hayas vinculado: sus paquetes y su validez van con él. El teléfono nuevo recibe una eSIM nueva (un código QR nuevo en esta página) y la eSIM del teléfono anterior deja de funcionar.
esim-move-device = Teléfono nuevo
esim-move-confirm = Entiendo que la eSIM del teléfono anterior deja de funcionar.
esim-move-confirm-needed = Marca la casilla para confirmar.
esim-move-submit = Pasar mi número
esim-move-none = Primero vincula el teléfono nuevo en la página Dispositivos; después podrás pasarle tu número aquí.

## Coverage and packages
coverage-title = Cobertura
coverage-search-title = ¿Adónde vas?
coverage-search-label = Busca un país
coverage-search-placeholder = p. ej., Japón, 日本, JP
coverage-search-button = Buscar
coverage-countries-title = Países
# $count (Int)
coverage-countries = { $count ->
    [one] 1 país
   *[other] { $count } países
}
# $count (Int)
coverage-found = { $count ->
    [one] 1 país encontrado
   *[other] { $count } países encontrados
}
# $query (String)
coverage-none = Ningún país coincide con "{ $query }".
packages-title = Paquetes
# $place (String)
packages-for = Paquetes para { $place }
packages-show = Mostrar
packages-none = Aún no hay ningún paquete que cubra este lugar.
packages-data-unlimited = Datos ilimitados
# $amount (String)
packages-data = { $amount } de datos
packages-no-data = Sin datos
# $count (Int)
packages-minutes = { $count ->
    [one] 1 minuto
   *[other] { $count } minutos
}
# $count (Int)
packages-sms = { $count ->
    [one] 1 SMS
   *[other] { $count } SMS
}
# $days (Int)
packages-validity = { $days ->
    [one] Válido 1 día
   *[other] Válido { $days } días
}
# $days (Int)
packages-keeps-number = { $days ->
    [one] Conserva tu número 1 día más
   *[other] Conserva tu número { $days } días más
}
packages-buy = Comprar
packages-no-price = No está a la venta en esta moneda.

## Buying
buy-title = Comprar un paquete
buy-line = Para qué número
buy-method = Pagar con
buy-method-hint = En el modo de demostración, una pasarela de pruebas (sandbox) sustituye al proveedor; no se mueve dinero real.
buy-submit = Continuar al pago
buy-no-line = Necesitas una eSIM para poder comprar un paquete.
order-title = Tu pedido
order-package = Paquete
order-amount = Importe
order-method = Método de pago
order-scan-alipay = Escanea con Alipay para pagar
order-scan-wechat = Escanea con WeChat para pagar
order-scan-card = Escanea con Alipay para pagar
order-open-alipay = Abrir Alipay
order-pay-now = Pagar ahora
order-see-bundle = Ver mi consumo
order-status-awaiting_payment = Esperando tu pago
order-status-awaiting_payment-hint = Completa el pago; esta página se actualiza sola.
order-status-paid = Procesando
order-status-paid-hint = Hemos recibido tu pago. Estamos añadiendo el paquete a tu línea…
order-status-fulfilled = Listo
order-status-fulfilled-hint = El paquete ya está en tu línea y listo para usar.
order-status-failed = Pago fallido
order-status-failed-hint = No se ha cobrado ni añadido nada. Inténtalo de nuevo o elige otro método de pago.
order-status-expired = Caducado
order-status-expired-hint = El pedido no se pagó a tiempo. Haz uno nuevo cuando quieras.
order-status-refunded = Reembolsado
order-status-refunded-hint = Este pedido se ha reembolsado.
order-status-partially_refunded = Reembolsado en parte
order-status-partially_refunded-hint = Se ha reembolsado parte de este pedido.
checkout-title = Pago de prueba (sandbox)
# $method (String)
checkout-sandbox = Modo de demostración: no se mueve dinero real. La pasarela { $method } integrada firma su notificación exactamente igual que el proveedor.
checkout-status = Estado
# $amount (String)
checkout-pay = Pagar { $amount }
checkout-decline = Rechazar
checkout-back = Volver al pedido

## Usage
usage-title = Consumo
# $date (String)
usage-kept-until = Tu número se conserva hasta el { $date }.
usage-not-kept = Tu número aún no se conserva: compra un paquete para conservarlo.
usage-total = Saldo total restante
usage-bundles = Paquetes
usage-data = Datos
usage-voice = Minutos
usage-sms = SMS
usage-unlimited = Datos ilimitados
usage-no-data = Sin paquete de datos.
# $amount (String)
usage-used = { $amount } consumidos
# $left (String), $total (String)
usage-left-of = Quedan { $left } de { $total }
# $left (Int), $total (Int)
usage-minutes-left = Quedan { $left } de { $total } minutos
# $left (Int), $total (Int)
usage-sms-left = Quedan { $left } de { $total } SMS
usage-remaining-data = Datos restantes
usage-remaining-voice = Minutos restantes
usage-remaining-sms = SMS restantes
# $date (String)
usage-expires = Caduca el { $date }
# $days (Int)
usage-starts-first-use = { $days ->
    [one] El día empieza a contar cuando lo uses por primera vez en el extranjero.
   *[other] Los { $days } días empiezan a contar cuando lo uses por primera vez en el extranjero.
}
usage-chart-title = Datos consumidos en los últimos 30 días
# $amount (String)
usage-chart-total = { $amount } en total
usage-history = Historial
usage-history-when = Cuándo
usage-history-what = Qué
usage-history-amount = Cantidad
usage-history-empty = Todavía no hay nada.

## Inbox
inbox-title = Bandeja de entrada
inbox-empty = No hay mensajes.
inbox-new = Nuevo
inbox-mark-read = Marcar como leído

## Help and support
help-title = Ayuda
help-more = ¿Sigues con dudas?
faq-countries-q = ¿Qué países están cubiertos?
# $count (Int)
faq-countries-a = { $count } países, agrupados por regiones. Busca un país en la página de cobertura para ver los paquetes que lo cubren.
faq-usage-q = ¿Cómo consulto mi consumo?
faq-usage-a = La página de consumo muestra, para cada paquete, lo que te queda de datos, minutos y SMS, con una barra y la fecha de caducidad; además, el total, un gráfico de los últimos 30 días y cada recarga, consumo y caducidad. El consumo aparece a los pocos momentos de que la red lo registre.
faq-device-q = ¿Por qué un dispositivo por línea?
faq-device-a = Una eSIM se instala en un solo teléfono y queda asociada a su IMEI. Vincula cada teléfono por separado. ¿Has cambiado de teléfono? Vincula el nuevo y elige "Pasar mi número" en la página de tu eSIM: el número, sus paquetes y su validez pasan a una eSIM nueva en el teléfono nuevo.
faq-imei-q = ¿Dónde encuentro el IMEI?
faq-validity-q = ¿Cuándo empiezan y caducan los paquetes?
faq-validity-a = Algunos paquetes empiezan al comprarlos y otros cuando los usas por primera vez en un país cubierto; los días de validez cuentan desde ese momento. Lo que quede cuando un paquete caduca se pierde y aparece en tu historial.
faq-keep-q = ¿Cómo se conserva mi número?
faq-keep-a = Cada recarga que cumple los requisitos conserva tu número durante más tiempo. Si caduca, la línea entra en un periodo de gracia, después se suspende y, al final, se libera; te avisamos antes de cada paso. Una recarga durante el periodo de gracia o la suspensión la reactiva.
support-title = Soporte
support-none = Aún no has hecho ninguna consulta.
support-new = Hacer una consulta
support-send = Enviar
support-reply = Tu respuesta
support-back = Todas las consultas

## Error pages
error-page-back = Volver al inicio
error-page-not_found = No encontrado
error-page-not_found-hint = Esta página no existe o no es tuya.
error-page-csrf = Este formulario ha caducado
error-page-csrf-hint = Por tu seguridad, el formulario no se ha enviado. Vuelve atrás, recarga la página e inténtalo de nuevo.
error-page-forbidden = No permitido
error-page-forbidden-hint = Tu rol no permite hacer esto.
error-page-internal_error = Algo ha salido mal
error-page-internal_error-hint = Es culpa nuestra. Vuelve a intentarlo en un momento.

## Error titles: API problem titles and messages next to form fields, by error code.
error-currency_not_supported = Este método de pago no acepta esta moneda.
error-device_already_bound = Este teléfono ya está vinculado a una cuenta.
error-device_has_line = Este dispositivo ya tiene una eSIM.
error-email_taken = Ya existe una cuenta con este correo electrónico.
error-forbidden = No puedes hacer esto.
error-idempotency_key_in_use = La misma solicitud todavía se está procesando.
error-idempotency_key_required = Se necesita una cabecera Idempotency-Key.
error-idempotency_key_reused = Esta Idempotency-Key ya se usó para otra solicitud.
error-internal_error = Algo ha fallado por nuestra parte.
error-invalid_credentials = El correo electrónico o la contraseña no son correctos.
error-invalid_eid = Este EID no es válido.
error-invalid_email = Esta dirección de correo electrónico no es válida.
error-invalid_field = Revisa este campo.
error-invalid_imei = Este IMEI no es válido: tiene 15 cifras y la última es un dígito de control. Marca *#06# para ver el tuyo.
error-invalid_token = Este enlace no es válido o ha caducado.
error-inventory_exhausted = Ahora mismo no hay ninguna eSIM disponible. Inténtalo de nuevo más tarde.
error-not_found = No encontrado.
error-payment_method_unavailable = Este método de pago no está disponible.
error-payment_provider_unavailable = El proveedor de pago no ha respondido. Inténtalo de nuevo.
error-price_not_available = Este paquete no está a la venta en esta moneda.
error-refund_not_allowed = Este pedido no se puede reembolsar.
error-too_many_attempts = Demasiados intentos. Espera un momento y vuelve a intentarlo.
error-unauthenticated = Primero inicia sesión.
error-unavailable = El servicio no está disponible. Vuelve a intentarlo en breve.
error-unknown_country = País desconocido.
error-unknown_package = Paquete desconocido.
error-unknown_region = Región desconocida.
error-unknown_subscriber = Abonado desconocido.
error-weak_password = Usa al menos 10 caracteres y que no sea tu dirección de correo.
error-invalid_body = El cuerpo de la solicitud no es válido.
error-invalid_json = El cuerpo de la solicitud no es JSON válido.
error-invalid_query = La cadena de consulta no es válida.
error-method_not_allowed = Este método no está permitido aquí.
error-payload_too_large = La solicitud es demasiado grande.
error-unsupported_media_type = Envía el cuerpo como application/json.
error-sandbox_delivery_failed = El sandbox no ha podido entregar la notificación de pago.
error-sandbox_refused = El sandbox ha rechazado este pago.
error-choose_line = Elige un número.
error-choose_method = Elige un método de pago.
error-choose_device = Elige un teléfono.
error-csrf = Este formulario ha caducado. Recarga la página e inténtalo de nuevo.
error-invalid_totp = El código no es correcto o ya se ha usado. Espera a que aparezca uno nuevo.
error-empty_field = Este campo no puede estar vacío.

## Admin console
admin-console = Consola
admin-role-admin = Administración
admin-role-support = Soporte
admin-role-finance = Finanzas
admin-author-customer = Cliente
admin-author-staff = Personal
admin-nav-dashboard = Panel
admin-nav-catalogue = Catálogo
admin-nav-inventory = Inventario de eSIM
admin-nav-customers = Clientes
admin-nav-orders = Pedidos
admin-nav-tickets = Consultas
admin-nav-jobs = Tareas fallidas
admin-nav-audit = Registro de auditoría
admin-nav-staff = Personal y claves de API
admin-signin-title = Acceso del personal
admin-totp-title = Verificación en dos pasos
admin-totp-enrol = Configura tu app de autenticación
admin-totp-enrol-hint = Escanea el código con una app de autenticación (o escribe el secreto) y luego introduce el código de 6 cifras que muestra.
admin-totp-qr-alt = Código QR del secreto de autenticación
admin-totp-secret = Secreto:
admin-totp-code = Código de 6 cifras
admin-totp-verify = Verificar
admin-active-lines = Líneas activas
admin-chart-topups = Recargas por día
# $currency (String)
admin-chart-revenue = Ingresos por día ({ $currency })
admin-chart-lines-in-use = Líneas en uso por día
admin-chart-data = Datos consumidos por día
# $total (String)
admin-chart-total = { $total } en total
# $max (String)
admin-chart-max = mejor día: { $max }
admin-packages = Paquetes
admin-code = Código
admin-name = Nombre
admin-allowance = Incluye
admin-prices = Precios
admin-edit-price = Fijar un precio
admin-amount = Importe
admin-save = Guardar
admin-retired = Retirado
admin-regions = Regiones
admin-policies = Políticas de conservación del número
admin-policy-min = Recarga válida
admin-policy-days = Días
admin-policy-days-hint = Días: amplía / gracia / suspensión / cuarentena.
admin-default = predeterminada
admin-countries = Países
admin-show = Mostrar
admin-catalogue-file = Editar todo el catálogo
admin-country-names = Nombres de países
admin-catalogue-file-hint = Pega un archivo de catálogo completo (TOML, como para keepsim import-catalog): los países de cada región, los paquetes, los precios, las políticas de conservación del número y los nombres [[country]] que sustituyen el nombre estándar (CLDR) de un país en algunos idiomas. Vista previa muestra lo que cambiaría; Aplicar lo cambia.
admin-preview = Vista previa
admin-apply = Aplicar
admin-applied = Aplicado
admin-available = Disponibles
admin-assigned = Asignados
admin-import = Importar
admin-import-hint = Columnas: iccid, imsi, msisdn, smdp_address, matching_id (primero una fila de encabezado). Elige un archivo o pega el texto.
# $count (Int)
admin-imported = { $count ->
    [one] 1 perfil importado.
   *[other] { $count } perfiles importados.
}
admin-skip-invalid = Importar las filas correctas y omitir las erróneas
admin-without-check-digit = Los ICCID vienen sin el dígito de control
admin-search-email = El correo contiene
admin-created = Creado
admin-next = Página siguiente
admin-lines = Líneas
admin-expires = Caduca
admin-ledger = Movimientos
admin-service = Servicio
admin-units = Unidades
admin-any = Cualquiera
admin-since = Desde
admin-until = Hasta
admin-filter = Filtrar
admin-refunded = Reembolsado
admin-customer = Cliente
admin-bundle = Paquete
admin-flag = Marca
admin-refund = Reembolsar
admin-refund-hint = Se reembolsa lo que queda, salvo que indiques un importe menor.
admin-reason = Motivo
admin-history = Historial
admin-refunds = Reembolsos
admin-answer = Respuesta
admin-close-ticket = Cerrar la consulta
admin-failed-jobs = Tareas de tramitación de pedidos que han fallado
admin-failed-deliveries = Envíos abandonados tras varios intentos
admin-order = Pedido
admin-attempts = Intentos
admin-error = Último error
admin-retry = Reintentar
admin-channel = Canal
admin-staff = Personal
admin-action = Acción
admin-target = Objeto
admin-detail = Detalle
# $email (String)
admin-staff-created = { $email } ya puede iniciar sesión con esta contraseña de un solo uso (solo se muestra una vez):
admin-role = Rol
admin-staff-new = Añadir un miembro del personal
admin-create = Crear
admin-api-keys = Claves de API
admin-key-once = La nueva clave (solo se muestra una vez):
admin-prefix = Prefijo
admin-scopes = Ámbitos
admin-partner = Socio
admin-revoked = Revocada
admin-revoke = Revocar
admin-create-key = Crear una clave
