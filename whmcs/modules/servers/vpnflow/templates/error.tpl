{* Shown instead of the service details when vpnflow does not answer; staff find the cause in the Module Log. *}
<div class="alert alert-warning">{$errorMessage|escape:'html'}</div>
