### keepsim message catalogue — English (en).
###
### English is the reference language: every other shipped language defines
### every message defined here, with the same variables, and any message a
### language lacks is shown in English. Variables are passed in already
### formatted (dates, money, data amounts) except $days and $percent, which
### are integers; $days chooses the plural form.

-brand = keepsim

## Shared email texts

email-greeting = Hello,
email-footer =
    You are receiving this email because it concerns your { -brand } account.
    { -brand } — prepaid travel eSIMs that keep your number.

## Notifications: the in-app inbox and the emails sent with it.
## Each kind has a -title (inbox title, email subject) and a -body.

# $package (String) package name, $amount (String) money paid, $valid_until (String) date the number is kept until
notification-topup_succeeded-title = Top-up successful
notification-topup_succeeded-body = { $package } ({ $amount }) has been added to your line. Your number is kept until { $valid_until }.

# $package (String), $amount (String)
notification-topup_failed-title = Top-up failed
notification-topup_failed-body = Your payment of { $amount } for { $package } did not go through, so nothing was added to your line. Please try again or choose another payment method.

# $package (String), $amount (String) amount refunded
notification-refund-title = Refund issued
notification-refund-body = We have refunded { $amount } for { $package }. Depending on your payment provider, it may take a few business days to show up.

# $package (String), $percent (Int) share of the data used, $remaining (String) data left
notification-data_threshold-title = { $percent }% of your data used
notification-data_threshold-body = You have used { $percent }% of the data in { $package }. You have { $remaining } left.

# $package (String)
notification-bundle_exhausted-title = Your data is used up
notification-bundle_exhausted-body = You have used all the data in { $package }. Top up to stay connected.

# $package (String), $days (Int) days until expiry, $expires (String) expiry date
notification-bundle_expiring-title = { $package } expires in { $days ->
        [one] 1 day
       *[other] { $days } days
    }
notification-bundle_expiring-body = Your bundle { $package } expires on { $expires } (in { $days ->
        [one] 1 day
       *[other] { $days } days
    }). Any data, minutes or texts left by then will be forfeited.

# $package (String), $remaining (String) what was left and is now forfeited
notification-bundle_expired-title = { $package } has expired
notification-bundle_expired-body = Your bundle { $package } has reached the end of its validity. The unused { $remaining } has been forfeited.

# $number (String) phone number, $days (Int) days left, $valid_until (String) date the number is kept until
notification-line_expiring-title = Your number expires in { $days ->
        [one] 1 day
       *[other] { $days } days
    }
notification-line_expiring-body = Your number { $number } is kept until { $valid_until }. Top up before then to keep it.

# $number (String), $expires (String) date the line will be suspended
notification-line_grace-title = Your number is in its grace period
notification-line_grace-body = Your number { $number } has passed its validity date. It can still receive calls and texts, but you can't make calls, send texts or use data. Top up before { $expires } to use it normally again.

# $number (String), $expires (String) date the number will be released for good
notification-line_suspended-title = Your number has been suspended
notification-line_suspended-body = Your number { $number } is suspended and can't make or receive calls. Top up before { $expires } to get it back; after that date the number is released and can no longer be recovered.

# $number (String), $valid_until (String)
notification-line_reactivated-title = Your number is active again
notification-line_reactivated-body = Welcome back! Your number { $number } is active again and kept until { $valid_until }.

# $link (String) confirmation URL
notification-email_verify-title = Confirm your email address
notification-email_verify-body =
    Please confirm your email address by opening this link:
    { $link }
    If you didn't sign up for { -brand }, you can ignore this email.

# $link (String) single-use reset URL
notification-password_reset-title = Reset your password
notification-password_reset-body =
    We received a request to reset the password of your { -brand } account. Open this link to choose a new one:
    { $link }
    The link works only once and expires soon. If you didn't ask for this, ignore this email: your password stays the same.

# $subject (String) the ticket's subject
notification-ticket_answered-title = Support answered: { $subject }
notification-ticket_answered-body = We have answered your question "{ $subject }". Open Support in the app to read the answer and reply.
