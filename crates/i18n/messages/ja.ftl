### keepsim メッセージカタログ — 日本語（ja）。
### 変数は英語（en.ftl）と同じです。日本語には複数形がないため、$days のセレクターは *[other] のみです。

-brand = keepsim

## メール共通テキスト

email-greeting = { -brand } をご利用いただきありがとうございます。
email-footer =
    このメールは、お客様の { -brand } アカウントに関するお知らせとしてお送りしています。
    { -brand } — 電話番号をそのまま保てる旅行用プリペイド eSIM

## 通知（アプリ内のお知らせとメール）

notification-topup_succeeded-title = チャージが完了しました
notification-topup_succeeded-body = { $package }（{ $amount }）のチャージが完了しました。電話番号は { $valid_until } まで保持されます。

notification-topup_failed-title = チャージに失敗しました
notification-topup_failed-body = { $package }（{ $amount }）のお支払いが完了しなかったため、チャージされていません。もう一度お試しいただくか、別のお支払い方法をご利用ください。

notification-refund-title = 返金手続きが完了しました
notification-refund-body = { $package } の代金 { $amount } を返金しました。ご利用の決済サービスによっては、反映までに数営業日かかる場合があります。

notification-data_threshold-title = データ容量を{ $percent }%使用しました
notification-data_threshold-body = { $package } のデータ容量を{ $percent }%使用しました。残りは { $remaining } です。

notification-bundle_exhausted-title = データ容量を使い切りました
notification-bundle_exhausted-body = { $package } のデータ容量をすべて使い切りました。引き続きご利用いただくには、チャージしてください。

notification-bundle_expiring-title = { $package } の有効期限まであと{ $days ->
       *[other] { $days }日
    }
notification-bundle_expiring-body = { $package } は { $expires } に有効期限を迎えます（あと{ $days ->
       *[other] { $days }日
    }）。期限を過ぎると、残っているデータ・通話・SMS は失効します。

notification-bundle_expired-title = { $package } の有効期限が切れました
notification-bundle_expired-body = { $package } の有効期限が切れたため、未使用の { $remaining } は失効しました。

notification-line_expiring-title = 電話番号の有効期限まであと{ $days ->
       *[other] { $days }日
    }
notification-line_expiring-body = お客様の電話番号 { $number } は { $valid_until } まで保持されます。番号を維持するには、それまでにチャージしてください。

notification-line_grace-title = 電話番号が猶予期間に入りました
notification-line_grace-body = 電話番号 { $number } の有効期限が過ぎたため、猶予期間に入りました。電話と SMS の受信はできますが、発信・SMS の送信・データ通信はご利用いただけません。{ $expires } までにチャージすると、通常どおりご利用いただけます。

notification-line_suspended-title = 電話番号の利用を停止しました
notification-line_suspended-body = 電話番号 { $number } の利用を停止しました。発信・着信ともにご利用いただけません。{ $expires } までにチャージすると利用を再開できます。期限を過ぎると番号は回収され、元に戻すことはできません。

notification-line_reactivated-title = 電話番号の利用を再開しました
notification-line_reactivated-body = おかえりなさい！電話番号 { $number } を再びご利用いただけるようになりました。{ $valid_until } まで保持されます。

notification-email_verify-title = メールアドレスの確認
notification-email_verify-body =
    以下のリンクを開いて、メールアドレスの確認を完了してください。
    { $link }
    { -brand } に登録した覚えがない場合は、このメールを破棄してください。

notification-password_reset-title = パスワードの再設定
notification-password_reset-body =
    { -brand } アカウントのパスワード再設定のリクエストを受け付けました。以下のリンクから新しいパスワードを設定してください。
    { $link }
    このリンクは1回限り有効で、一定時間が過ぎると無効になります。お心当たりがない場合は、このメールを破棄してください。パスワードは変更されません。

# $subject (String) the ticket's subject
notification-ticket_answered-title = サポートから回答がありました：{ $subject }
notification-ticket_answered-body = お問い合わせ「{ $subject }」に回答しました。アプリの「サポート」で回答を確認し、返信できます。
