{* The essentials of a vpnflow service; the full page is built on the variables documented in
   lib/ClientArea.php. Every value is escaped here: WHMCS does not escape template output itself. *}
<div class="vpnflow-service" data-service-id="{$vpnflow.serviceId|escape:'html'}" data-refresh-seconds="{$vpnflow.refreshSeconds|escape:'html'}">
  <table class="table table-condensed">
    <tr><th>{$LANG.clientareastatus|escape:'html'}</th><td>{$vpnflow.status|escape:'html'}{foreach $vpnflow.suspensionReasons as $reason} · {$reason|escape:'html'}{/foreach}</td></tr>
    <tr><th>{$LANG.serverhostname|escape:'html'}</th><td>{$vpnflow.server.hostname|escape:'html'}</td></tr>
    <tr><th>{$LANG.serverusername|escape:'html'}</th><td>{$vpnflow.username|escape:'html'}</td></tr>
    {if $vpnflow.password !== null}
    <tr><th>{$LANG.serverpassword|escape:'html'}</th><td>{$vpnflow.password|escape:'html'}</td></tr>
    {/if}
    {if $vpnflow.protocols.l2tp.offered}
    <tr><th>L2TP IPsec PSK</th><td>{$vpnflow.protocols.l2tp.ipsecSecret|escape:'html'}</td></tr>
    {/if}
    <tr><th>GB</th><td>{$vpnflow.traffic.balanceGb|escape:'html'}{if !$vpnflow.traffic.unlimited} / {$vpnflow.traffic.perCycleGb|escape:'html'}{/if}</td></tr>
  </table>
  {if $vpnflow.setupInstructionsUrl}
  <p><a href="{$vpnflow.setupInstructionsUrl|escape:'html'}" target="_blank" rel="noopener">{$vpnflow.setupInstructionsUrl|escape:'html'}</a></p>
  {/if}
  {if $vpnflow.buyTrafficUrl}
  <p><a class="btn btn-default" href="{$vpnflow.buyTrafficUrl|escape:'html'}">{$LANG.orderavailableaddons|escape:'html'}</a></p>
  {/if}
  <div id="vpnflow-statistics"></div>
  <div id="vpnflow-history"></div>
</div>
