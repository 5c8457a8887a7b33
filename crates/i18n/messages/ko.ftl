### keepsim 메시지 카탈로그 — 한국어(ko).
### 변수는 영어(en.ftl)와 같습니다. 한국어에는 복수형이 없으므로 $days 선택자에는 *[other]만 있습니다.
### 변수 뒤에는 받침에 따라 달라지는 조사(을/를, 이/가, 은/는)를 쓰지 않습니다.

-brand = keepsim

## 이메일 공통 문구

email-greeting = 안녕하세요.
email-footer =
    { -brand } 계정과 관련된 안내이므로 이 메일을 보내 드립니다.
    { -brand } — 번호를 그대로 유지하는 여행용 선불 eSIM

## 알림(앱 내 알림함 및 이메일)

notification-topup_succeeded-title = 충전이 완료되었습니다
notification-topup_succeeded-body = { $package }({ $amount }) 충전이 완료되었습니다. 전화번호는 { $valid_until }까지 유지됩니다.

notification-topup_failed-title = 충전에 실패했습니다
notification-topup_failed-body = { $package }({ $amount }) 결제가 완료되지 않아 충전되지 않았습니다. 다시 시도하시거나 다른 결제 수단을 이용해 주세요.

notification-refund-title = 환불이 처리되었습니다
notification-refund-body = { $package } 요금 { $amount } 환불이 완료되었습니다. 결제 수단에 따라 실제 반영까지 영업일 기준 며칠이 걸릴 수 있습니다.

notification-data_threshold-title = 데이터를 { $percent }% 사용했습니다
notification-data_threshold-body = { $package }의 데이터를 { $percent }% 사용했습니다. 남은 데이터는 { $remaining }입니다.

notification-bundle_exhausted-title = 데이터를 모두 사용했습니다
notification-bundle_exhausted-body = { $package }의 데이터를 모두 사용했습니다. 계속 이용하시려면 충전해 주세요.

notification-bundle_expiring-title = { $package } 만료까지 { $days ->
       *[other] { $days }일
    } 남았습니다
notification-bundle_expiring-body = { $package }의 유효기간이 { $expires }에 만료됩니다({ $days ->
       *[other] { $days }일
    } 남음). 만료 후 남은 데이터, 통화, 문자는 소멸됩니다.

notification-bundle_expired-title = { $package } 유효기간 만료
notification-bundle_expired-body = { $package }의 유효기간이 만료되었습니다. 사용하지 않은 잔여량({ $remaining })은 소멸되었습니다.

notification-line_expiring-title = 전화번호 만료까지 { $days ->
       *[other] { $days }일
    } 남았습니다
notification-line_expiring-body = 고객님의 전화번호({ $number })는 { $valid_until }까지 유지됩니다. 번호를 계속 유지하시려면 그 전에 충전해 주세요.

notification-line_grace-title = 전화번호가 유예 기간에 들어갔습니다
notification-line_grace-body = 전화번호({ $number })의 유효기간이 지나 유예 기간에 들어갔습니다. 전화와 문자 수신은 가능하지만 발신, 문자 발송, 데이터 사용은 제한됩니다. { $expires }까지 충전하시면 다시 정상적으로 이용하실 수 있습니다.

notification-line_suspended-title = 전화번호 이용이 정지되었습니다
notification-line_suspended-body = 전화번호({ $number }) 이용이 정지되어 발신과 수신이 모두 불가능합니다. { $expires }까지 충전하시면 다시 이용하실 수 있으며, 이후에는 번호가 회수되어 복구할 수 없습니다.

notification-line_reactivated-title = 전화번호 이용이 재개되었습니다
notification-line_reactivated-body = 다시 오신 것을 환영합니다! 전화번호({ $number })를 다시 이용하실 수 있으며, { $valid_until }까지 유지됩니다.

notification-email_verify-title = 이메일 주소를 인증해 주세요
notification-email_verify-body =
    아래 링크를 열어 이메일 주소 인증을 완료해 주세요.
    { $link }
    { -brand }에 가입한 적이 없다면 이 메일은 무시하셔도 됩니다.

notification-password_reset-title = 비밀번호 재설정
notification-password_reset-body =
    { -brand } 계정의 비밀번호 재설정 요청을 받았습니다. 아래 링크에서 새 비밀번호를 설정해 주세요.
    { $link }
    이 링크는 한 번만 사용할 수 있으며 잠시 후 만료됩니다. 요청하지 않으셨다면 이 메일은 무시하셔도 되며, 비밀번호는 변경되지 않습니다.

# $subject (String) the ticket's subject
notification-ticket_answered-title = 고객지원 답변: { $subject }
notification-ticket_answered-body = 문의하신 "{ $subject }"에 답변했습니다. 앱의 고객지원에서 답변을 확인하고 회신할 수 있습니다.
